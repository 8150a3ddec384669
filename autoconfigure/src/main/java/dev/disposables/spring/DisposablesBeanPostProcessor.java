package dev.disposables.spring;

import java.io.Serializable;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.InitDestroyAnnotationBeanPostProcessor;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.beans.factory.support.AbstractBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.MergedBeanDefinitionPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.util.Assert;

/**
 * Finds the disposable beans, takes their destruction over from Spring, and registers
 * every instance with the {@link DisposableRegistry}.
 *
 * <p>
 * Taking over uses Spring's own mechanism: the destroy methods the starter invokes itself
 * are registered as externally managed on the merged bean definition, before Spring's
 * {@code @PreDestroy} processor looks at it (this processor runs first), so that Spring's
 * destruction skips them. Spring's destruction still reaches the bean through
 * {@link #postProcessBeforeDestruction}, which routes it to the registry: a bean is
 * disposed exactly once, whichever comes first — the shutdown, a scope end, an explicit
 * dispose, or Spring destroying the bean after a failed refresh.
 *
 * <p>
 * <strong>Internal</strong>: created by the auto-configuration, public only so that it
 * can be; not part of the public API (see "Public API" in docs/core-api.md), it may
 * change without notice.
 */
public class DisposablesBeanPostProcessor implements MergedBeanDefinitionPostProcessor,
		DestructionAwareBeanPostProcessor, PriorityOrdered, BeanFactoryAware, DisposableBean, Serializable {

	private static final long serialVersionUID = 1L;

	/**
	 * The processors of the live bean factories that have a serialization id, for
	 * destruction callbacks restored later; keyed by a key of each processor's own (two
	 * contexts may share an id: every Spring Boot application is called "application"
	 * unless named), and removed when the context closes.
	 */
	private static final Map<String, WeakReference<DisposablesBeanPostProcessor>> restorable;

	static {
		restorable = new ConcurrentHashMap<>();
	}

	private static final Log logger = LogFactory.getLog(DisposablesBeanPostProcessor.class);

	/**
	 * Registered as an externally managed destroy method on every definition whose beans
	 * the starter manages.
	 */
	static final String MANAGED_MARKER = "dev.disposables:managed";

	/**
	 * Bean definition attribute holding the {@link CachedPlan} of the definition's bean
	 * class.
	 */
	private static final String PLAN_ATTRIBUTE = DisposablesBeanPostProcessor.class.getName() + ".plan";

	private final transient ObjectProvider<DisposableRegistry> registryProvider;

	private final transient ObjectProvider<ScopedResourceTracker> trackerProvider;

	private final transient DisposalPlanner planner;

	private transient @Nullable ConfigurableListableBeanFactory beanFactory;

	private transient @Nullable String serializationId;

	/** This processor's key in {@link #restorable}. */
	private final transient String restoreKey = UUID.randomUUID().toString();

	private transient volatile @Nullable DisposableRegistry registry;

	private transient volatile @Nullable ScopedResourceTracker tracker;

	private transient @Nullable ObservedDependencies observedDependencies;

	/**
	 * Create the post-processor. The collaborators are resolved lazily so that declaring
	 * this processor does not create them early.
	 * @param registryProvider the registry
	 * @param trackerProvider decides who owns prototype and scoped instances
	 */
	public DisposablesBeanPostProcessor(ObjectProvider<DisposableRegistry> registryProvider,
			ObjectProvider<ScopedResourceTracker> trackerProvider) {
		this(registryProvider, trackerProvider, null);
	}

	/**
	 * Create the post-processor. The collaborators and the adapters are resolved lazily,
	 * the adapters the first time a bean is planned, so that declaring this processor
	 * does not create them early.
	 * @param registryProvider the registry
	 * @param trackerProvider decides who owns prototype and scoped instances
	 * @param adapterProvider the {@link DisposalAdapter}s, consulted in order before the
	 * generic rules
	 * @since 0.2.0
	 */
	public DisposablesBeanPostProcessor(ObjectProvider<DisposableRegistry> registryProvider,
			ObjectProvider<ScopedResourceTracker> trackerProvider,
			@Nullable ObjectProvider<DisposalAdapter> adapterProvider) {
		this.registryProvider = registryProvider;
		this.trackerProvider = trackerProvider;
		this.planner = (adapterProvider != null) ? new DisposalPlanner(() -> adapterProvider.orderedStream().toList())
				: new DisposalPlanner();
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		Assert.isInstanceOf(ConfigurableListableBeanFactory.class, beanFactory);
		this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
		this.observedDependencies = ObservedDependencies.of(this.beanFactory);
		if (beanFactory instanceof DefaultListableBeanFactory factory && factory.getSerializationId() != null) {
			this.serializationId = factory.getSerializationId();
			restorable.values().removeIf((reference) -> reference.get() == null);
			restorable.put(this.restoreKey, new WeakReference<>(this));
		}
	}

	/**
	 * The context is closing: a session restored from now on is disposed without it.
	 */
	@Override
	public void destroy() {
		restorable.remove(this.restoreKey);
	}

	/**
	 * How many live bean factories a restored destruction callback can find.
	 * @return the number of registered processors
	 */
	static int restorableProcessorCount() {
		return restorable.size();
	}

	/**
	 * First, so that Spring's {@code @PreDestroy} processor sees the methods taken over.
	 */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public void postProcessMergedBeanDefinition(RootBeanDefinition definition, Class<?> beanType, String beanName) {
		if (!isCandidate(definition, beanType, beanName)) {
			return;
		}
		DisposalPlan plan = this.planner.plan(beanType, definition);
		if (plan == null) {
			return;
		}
		definition.registerExternallyManagedDestroyMethod(MANAGED_MARKER);
		plan.takenOverMethods().forEach(definition::registerExternallyManagedDestroyMethod);
		// Cached on the definition: a prototype getBean then finds its plan without
		// building a lookup key. Set under Spring's post-processing lock, which every
		// later creation of this definition acquires first.
		definition.setAttribute(PLAN_ATTRIBUTE, new CachedPlan(beanType, plan));
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		ConfigurableListableBeanFactory factory = this.beanFactory;
		if (factory == null) {
			return bean;
		}
		// Claimed for every bean, disposable or not: it may own prototypes created for
		// it.
		CreationFrames.Frame frame = CreationFrames.claim(factory, beanName);
		ObservedDependencies observed = this.observedDependencies;
		if (!factory.containsBeanDefinition(beanName)) {
			return bean;
		}
		if (frame != null && observed != null) {
			recordObservedDependency(factory, observed, beanName, CreationFrames.enclosing(factory, frame));
		}
		// This processor is a MergedBeanDefinitionPostProcessor, which Spring moves to
		// the end of the chain: an auto-proxy creator has already wrapped the bean.
		// Spring destroys the raw bean, so the starter tracks, plans and disposes the
		// target too, never the proxy.
		Object target = ProxyTargets.ultimateTarget(bean);
		RootBeanDefinition definition = (RootBeanDefinition) factory.getMergedBeanDefinition(beanName);
		CachedPlan cached = (CachedPlan) definition.getAttribute(PLAN_ATTRIBUTE);
		DisposalPlan plan = null;
		if (cached != null && cached.type() == target.getClass()) {
			// the common case, and never a FactoryBean's product (that has another class)
			plan = cached.plan();
		}
		else if (cached != null || (frame != null && frame.hasPending())) {
			if (!(target instanceof FactoryBean<?>) && factory.isFactoryBean(beanName)) {
				// an object made by a FactoryBean: Spring never destroys those, the
				// factory owns them
				return bean;
			}
			if (definition.isExternallyManagedDestroyMethod(MANAGED_MARKER)) {
				plan = this.planner.plan(target.getClass(), definition);
			}
		}
		if (plan != null && isKnownUnderAnotherName(factory, target, beanName)) {
			return bean;
		}
		if (plan != null || (frame != null && frame.hasPending())) {
			tracker().onInitialized(target, beanName, scopeOf(definition), plan, frame,
					CreationFrames.enclosing(factory, frame));
		}
		return bean;
	}

	/**
	 * The same instance exposed under a second bean name (two {@code @Bean} methods
	 * returning one object) is disposed once: it stays registered under its first name,
	 * and the second name is recorded as depending on the first so that the beans using
	 * either name finish before it is disposed.
	 * @param factory the bean factory that created the bean
	 * @param target the instance, behind any proxy
	 * @param beanName the name the instance is exposed under now
	 * @return whether the instance is registered under another name already
	 */
	private boolean isKnownUnderAnotherName(ConfigurableListableBeanFactory factory, Object target, String beanName) {
		ManagedResource existing = tracker().registry().lookup(target);
		if (existing == null || existing.springBeanName().equals(beanName)) {
			return false;
		}
		ObservedDependencies observed = this.observedDependencies;
		if (observed != null) {
			observed.record(factory, existing.springBeanName(), beanName);
		}
		else {
			factory.registerDependentBean(existing.springBeanName(), beanName);
		}
		return true;
	}

	/**
	 * A singleton or scoped bean created while another bean was being created on the same
	 * thread (resolved through an {@code ObjectProvider}, {@code getBean} or a
	 * {@code @Lazy} proxy in a constructor or initializer) is used by that bean, although
	 * Spring records no dependency for it: it is recorded in Spring's own dependent-bean
	 * graph, so that neither the shutdown graph nor Spring destroys it while its user may
	 * still use it. Prototypes need no edge: they are owned by the bean they were created
	 * for.
	 * @param factory the bean factory that created the bean
	 * @param observed the dependencies the starter recorded in that bean factory
	 * @param beanName the name of the bean just created
	 * @param enclosing the creation frame of the bean being created around it, if any
	 */
	private static void recordObservedDependency(ConfigurableListableBeanFactory factory, ObservedDependencies observed,
			String beanName, CreationFrames.@Nullable Frame enclosing) {
		String user = (enclosing != null) ? enclosing.beanName() : null;
		// From the definition, not isPrototype(beanName): for a FactoryBean (a scoped
		// proxy) that asks the factory about its product, instantiating it, and the
		// factory is still in creation here: without circular references (Spring Boot's
		// default) that fails with BeanCurrentlyInCreationException.
		if (user == null || user.equals(beanName) || factory.getMergedBeanDefinition(beanName).isPrototype()
				|| !factory.containsBeanDefinition(user)) {
			return;
		}
		// unless Spring has it (declared injection point, @DependsOn)
		observed.record(factory, beanName, user);
	}

	@Override
	public boolean requiresDestruction(Object bean) {
		return findResource(bean) != null || this.planner.plan(bean.getClass(), null) != null;
	}

	@Override
	public void postProcessBeforeDestruction(Object bean, String beanName) throws BeansException {
		ManagedResource resource = findResource(bean);
		if (resource != null) {
			tracker().onContainerDestruction(resource, isDestroyedWithoutDefinition(bean, beanName));
			if (resource.kind() == ResourceKind.DISPOSABLE) {
				return;
			}
		}
		// Not found: either it was disposed already (a finished resource leaves the
		// registry), or it is an instance the starter took over without tracking it (a
		// prototype with tracking off, destroyed explicitly through the bean factory).
		// Spring skips the methods taken over, so only the latter is disposed here.
		ConfigurableListableBeanFactory factory = this.beanFactory;
		if (factory != null && factory.containsBeanDefinition(beanName)) {
			RootBeanDefinition definition = (RootBeanDefinition) factory.getMergedBeanDefinition(beanName);
			// Only a prototype goes untracked: the scope is read first, so that Spring
			// destroying the singletons the shutdown disposed (all of them, usually)
			// takes no lock here.
			if (ConfigurableBeanFactory.SCOPE_PROTOTYPE.equals(scopeOf(definition))
					&& definition.isExternallyManagedDestroyMethod(MANAGED_MARKER)
					&& !tracker().tracks(ConfigurableBeanFactory.SCOPE_PROTOTYPE, ProxyTargets.ultimateTarget(bean))) {
				DisposalPlan plan = this.planner.plan(bean.getClass(), definition);
				if (plan != null) {
					tracker().disposeUntracked(bean, beanName, plan);
				}
			}
		}
		else if (factory != null && resource == null) {
			runSkippedPreDestroyMethods(factory, bean, beanName);
		}
	}

	/**
	 * {@code AutowireCapableBeanFactory.destroyBean(Object)} of an instance the starter
	 * does not track (tracking off, or not in the prototype sample): with no definition,
	 * Spring runs {@code destroy()} and the destruction-aware post-processors, so stock
	 * Spring runs the {@code @PreDestroy} methods; the starter took them over for the
	 * bean's definition, and Spring's annotation processor, which caches that per class,
	 * now skips them. They are run here, and nothing else: the instance gets exactly what
	 * stock Spring gives it. An instance the starter tracks but no longer finds was
	 * disposed already and gets nothing more.
	 * @param factory the bean factory
	 * @param bean the instance being destroyed
	 * @param beanName the name Spring destroys it under (its class name)
	 */
	private void runSkippedPreDestroyMethods(ConfigurableListableBeanFactory factory, Object bean, String beanName) {
		Object target = ProxyTargets.ultimateTarget(bean);
		if (tracker().tracks(ConfigurableBeanFactory.SCOPE_PROTOTYPE, target)
				|| !(factory instanceof AbstractBeanFactory springFactory)) {
			return;
		}
		List<Method> preDestroyMethods = DisposalPlanner.findPreDestroyMethods(target.getClass());
		if (preDestroyMethods.isEmpty()) {
			return;
		}
		for (BeanPostProcessor processor : springFactory.getBeanPostProcessors()) {
			if (processor instanceof InitDestroyAnnotationBeanPostProcessor annotations
					&& !annotations.requiresDestruction(target)) {
				tracker().disposeUntracked(target, beanName,
						DisposalPlan.sync(preDestroyMethods, false, List.of(), Set.of()));
				return;
			}
		}
	}

	/**
	 * Whether Spring destroys the bean through
	 * {@code AutowireCapableBeanFactory.destroyBean(Object)}: it names the bean after its
	 * class and, with no definition to consult, calls {@link DisposableBean#destroy()}
	 * itself after this callback.
	 * @param bean the bean being destroyed
	 * @param beanName the name Spring destroys it under
	 * @return whether Spring destroys it without a definition, calling {@code destroy()}
	 * itself
	 */
	private boolean isDestroyedWithoutDefinition(Object bean, String beanName) {
		ConfigurableListableBeanFactory factory = this.beanFactory;
		return bean instanceof DisposableBean && factory != null && beanName.equals(bean.getClass().getName())
				&& !factory.containsBeanDefinition(beanName);
	}

	private @Nullable ManagedResource findResource(Object bean) {
		DisposableRegistry current = this.registry;
		if (current == null) {
			return null;
		}
		return current.lookupResourceOrAnchor(bean);
	}

	private boolean isCandidate(RootBeanDefinition definition, Class<?> beanType, String beanName) {
		ConfigurableListableBeanFactory factory = this.beanFactory;
		// Infrastructure (including this starter's own beans) and inner beans stay with
		// Spring; so do adapters, which may be created while the planner resolves them.
		return factory != null && definition.getRole() != BeanDefinition.ROLE_INFRASTRUCTURE
				&& factory.containsBeanDefinition(beanName) && !DisposalAdapter.class.isAssignableFrom(beanType);
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

	/**
	 * Spring serializes the destruction callback of a session-scoped bean with its
	 * session (persisted or replicated by the servlet container), keeping the
	 * destruction-aware post-processors that are serializable. This processor is replaced
	 * by a small stand-in, so that a bean restored from a persisted session is still
	 * disposed when the session ends.
	 * @return the serialized form
	 */
	protected Object writeReplace() {
		return new RestoredBeanDisposer(this.restoreKey, this.serializationId);
	}

	/**
	 * Disposes a bean restored from a persisted session, a copy the registry never saw:
	 * with this bean factory's plan for the definition, on the calling thread, as Spring
	 * would.
	 * @param bean the restored bean
	 * @param beanName its name in the bean factory
	 */
	void disposeRestored(Object bean, String beanName) {
		ConfigurableListableBeanFactory factory = this.beanFactory;
		RootBeanDefinition definition = (factory != null && factory.containsBeanDefinition(beanName))
				? (RootBeanDefinition) factory.getMergedBeanDefinition(beanName) : null;
		Object target = ProxyTargets.ultimateTarget(bean);
		DisposalPlan plan = this.planner.plan(target.getClass(), definition);
		if (plan != null) {
			tracker().disposeUntracked(target, beanName, plan);
		}
	}

	/**
	 * The live processor a restored destruction callback belongs to: the one that wrote
	 * it, if its context is still open (the session was persisted and restored in this
	 * JVM), else one whose bean factory has the same serialization id and defines the
	 * bean (the application was restarted and restored its persisted sessions).
	 * @param restoreKey the key of the processor that wrote the callback
	 * @param serializationId the serialization id of its bean factory
	 * @param beanName the name of the restored bean
	 * @return the processor, or {@code null} if no live context can dispose the bean
	 */
	private static @Nullable DisposablesBeanPostProcessor findRestorer(@Nullable String restoreKey,
			@Nullable String serializationId, String beanName) {
		WeakReference<DisposablesBeanPostProcessor> own = (restoreKey != null) ? restorable.get(restoreKey) : null;
		DisposablesBeanPostProcessor processor = (own != null) ? own.get() : null;
		if (processor != null || serializationId == null) {
			return processor;
		}
		for (WeakReference<DisposablesBeanPostProcessor> reference : restorable.values()) {
			DisposablesBeanPostProcessor candidate = reference.get();
			ConfigurableListableBeanFactory factory = (candidate != null) ? candidate.beanFactory : null;
			if (factory != null && serializationId.equals(candidate.serializationId)
					&& factory.containsBeanDefinition(beanName)) {
				return candidate;
			}
		}
		return null;
	}

	/** The plan of the class the definition was post-processed with. */
	private record CachedPlan(Class<?> type, DisposalPlan plan) {
	}

	/**
	 * What a serialized destruction callback keeps of this processor: its key and the id
	 * of the bean factory, to find the live processor again when the callback runs.
	 */
	private static final class RestoredBeanDisposer implements DestructionAwareBeanPostProcessor, Serializable {

		private static final long serialVersionUID = 1L;

		/**
		 * {@code null} in a callback an earlier version wrote (it kept only the id): the
		 * class stays serialization-compatible, so sessions persisted before an upgrade
		 * are still restored.
		 */
		private final @Nullable String restoreKey;

		private final @Nullable String serializationId;

		/**
		 * The context that wrote the session is gone (the session was restored in another
		 * JVM, or after a restart): the bean's own callbacks, found from its class, run
		 * on the calling thread.
		 * @param bean the restored bean, behind any proxy
		 * @param beanName its name, for the log
		 */
		private static void disposeWithoutContext(Object bean, String beanName) {
			DisposalPlan plan = new DisposalPlanner().plan(bean.getClass(), null);
			if (plan == null) {
				return;
			}
			// No registry, so no configured settings: the default per-resource timeout.
			Duration timeout = DisposalSettings.defaults().perResourceTimeout();
			try {
				plan.dispose(bean, Runnable::run).toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException | TimeoutException ex) {
				logger.warn(
						"Disposal of restored bean '" + beanName + "' (" + bean.getClass().getName()
								+ ") failed or did not finish in " + timeout.toSeconds() + " s",
						FailureCollector.unwrap(ex));
			}
		}

		RestoredBeanDisposer(@Nullable String restoreKey, @Nullable String serializationId) {
			this.restoreKey = restoreKey;
			this.serializationId = serializationId;
		}

		@Override
		public void postProcessBeforeDestruction(Object bean, String beanName) throws BeansException {
			DisposablesBeanPostProcessor processor = findRestorer(this.restoreKey, this.serializationId, beanName);
			if (processor != null) {
				processor.disposeRestored(bean, beanName);
			}
			else {
				disposeWithoutContext(ProxyTargets.ultimateTarget(bean), beanName);
			}
		}

	}

}
