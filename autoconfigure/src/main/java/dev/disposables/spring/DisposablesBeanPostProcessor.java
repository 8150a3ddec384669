package dev.disposables.spring;

import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.beans.factory.support.MergedBeanDefinitionPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.util.Assert;

/**
 * Finds the disposable beans, takes their destruction over from Spring, and registers every instance with the
 * {@link DisposableRegistry}.
 *
 * <p>Taking over uses Spring's own mechanism: the destroy methods the starter invokes itself are registered as
 * externally managed on the merged bean definition, before Spring's {@code @PreDestroy} processor looks at it (this
 * processor runs first), so that Spring's destruction skips them. Spring's destruction still reaches the bean
 * through {@link #postProcessBeforeDestruction}, which routes it to the registry: a bean is disposed exactly once,
 * whichever comes first — the shutdown, a scope end, an explicit dispose, or Spring destroying the bean after a
 * failed refresh.
 */
public class DisposablesBeanPostProcessor
		implements MergedBeanDefinitionPostProcessor, DestructionAwareBeanPostProcessor, PriorityOrdered,
		BeanFactoryAware {

	/** Registered as an externally managed destroy method on every definition whose beans the starter manages. */
	static final String MANAGED_MARKER = "dev.disposables:managed";

	/** Bean definition attribute holding the {@link CachedPlan} of the definition's bean class. */
	private static final String PLAN_ATTRIBUTE = DisposablesBeanPostProcessor.class.getName() + ".plan";

	private final ObjectProvider<DisposableRegistry> registryProvider;

	private final ObjectProvider<ScopedResourceTracker> trackerProvider;

	private final DisposalPlanner planner = new DisposalPlanner();

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	private volatile @Nullable DisposableRegistry registry;

	private volatile @Nullable ScopedResourceTracker tracker;

	/**
	 * Create the post-processor. The collaborators are resolved lazily so that declaring this processor does not
	 * create them early.
	 * @param registryProvider the registry
	 * @param trackerProvider decides who owns prototype and scoped instances
	 */
	public DisposablesBeanPostProcessor(ObjectProvider<DisposableRegistry> registryProvider,
			ObjectProvider<ScopedResourceTracker> trackerProvider) {
		this.registryProvider = registryProvider;
		this.trackerProvider = trackerProvider;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		Assert.isInstanceOf(ConfigurableListableBeanFactory.class, beanFactory);
		this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
	}

	/** First, so that Spring's {@code @PreDestroy} processor sees the methods taken over. */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public void postProcessMergedBeanDefinition(RootBeanDefinition definition, Class<?> beanType, String beanName) {
		if (!isCandidate(definition, beanName)) {
			return;
		}
		DisposalPlan plan = this.planner.plan(beanType, definition);
		if (plan == null) {
			return;
		}
		definition.registerExternallyManagedDestroyMethod(MANAGED_MARKER);
		plan.takenOverMethods().forEach(definition::registerExternallyManagedDestroyMethod);
		// Cached on the definition: a prototype getBean then finds its plan without building a lookup key. Set
		// under Spring's post-processing lock, which every later creation of this definition acquires first.
		definition.setAttribute(PLAN_ATTRIBUTE, new CachedPlan(beanType, plan));
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		ConfigurableListableBeanFactory factory = this.beanFactory;
		if (factory == null) {
			return bean;
		}
		// Claimed for every bean, disposable or not: it may own prototypes created for it.
		CreationFrames.Frame frame = CreationFrames.claim(factory, beanName);
		if (!factory.containsBeanDefinition(beanName)) {
			return bean;
		}
		RootBeanDefinition definition = (RootBeanDefinition) factory.getMergedBeanDefinition(beanName);
		CachedPlan cached = (CachedPlan) definition.getAttribute(PLAN_ATTRIBUTE);
		DisposalPlan plan = null;
		if (cached != null && cached.type() == bean.getClass()) {
			plan = cached.plan(); // the common case, and never a FactoryBean's product (that has another class)
		}
		else if (cached != null || (frame != null && frame.hasPending())) {
			if (!(bean instanceof FactoryBean<?>) && factory.isFactoryBean(beanName)) {
				return bean; // an object made by a FactoryBean: Spring never destroys those, the factory owns them
			}
			if (definition.isExternallyManagedDestroyMethod(MANAGED_MARKER)) {
				plan = this.planner.plan(bean.getClass(), definition);
			}
		}
		if (plan != null || (frame != null && frame.hasPending())) {
			tracker().onInitialized(bean, beanName, scopeOf(definition), plan, frame,
					CreationFrames.enclosing(factory, frame));
		}
		return bean;
	}

	@Override
	public boolean requiresDestruction(Object bean) {
		return findResource(bean) != null || this.planner.plan(bean.getClass(), null) != null;
	}

	@Override
	public void postProcessBeforeDestruction(Object bean, String beanName) throws BeansException {
		ManagedResource resource = findResource(bean);
		if (resource != null) {
			tracker().onContainerDestruction(resource);
			if (!resource.isAnchor()) {
				return;
			}
		}
		// Not found: either it was disposed already (a finished resource leaves the registry), or it is an instance
		// the starter took over without tracking it (a prototype with tracking off, destroyed explicitly through the
		// bean factory). Spring skips the methods taken over, so only the latter is disposed here.
		ConfigurableListableBeanFactory factory = this.beanFactory;
		if (factory != null && factory.containsBeanDefinition(beanName)) {
			RootBeanDefinition definition = (RootBeanDefinition) factory.getMergedBeanDefinition(beanName);
			if (definition.isExternallyManagedDestroyMethod(MANAGED_MARKER) && !tracker().tracks(scopeOf(definition))) {
				DisposalPlan plan = this.planner.plan(bean.getClass(), definition);
				if (plan != null) {
					tracker().disposeUntracked(bean, beanName, plan);
				}
			}
		}
	}

	private @Nullable ManagedResource findResource(Object bean) {
		DisposableRegistry current = this.registry;
		if (current == null) {
			return null;
		}
		ManagedResource resource = current.lookupResourceOrAnchor(bean);
		if (resource == null) {
			Object target = AopProxyUtils.getSingletonTarget(bean);
			if (target != null) {
				resource = current.lookupResourceOrAnchor(target);
			}
		}
		return resource;
	}

	private boolean isCandidate(RootBeanDefinition definition, String beanName) {
		ConfigurableListableBeanFactory factory = this.beanFactory;
		// Infrastructure (including this starter's own beans) and inner beans stay with Spring.
		return factory != null && definition.getRole() != BeanDefinition.ROLE_INFRASTRUCTURE
				&& factory.containsBeanDefinition(beanName);
	}

	private static String scopeOf(RootBeanDefinition definition) {
		String scope = definition.getScope();
		return (scope == null || scope.isEmpty()) ? ConfigurableBeanFactory.SCOPE_SINGLETON : scope;
	}

	private ScopedResourceTracker tracker() {
		ScopedResourceTracker current = this.tracker;
		if (current == null) {
			this.registry = this.registryProvider.getObject();
			current = this.trackerProvider.getObject();
			this.tracker = current;
		}
		return current;
	}

	/** The plan of the class the definition was post-processed with. */
	private record CachedPlan(Class<?> type, DisposalPlan plan) {
	}

}
