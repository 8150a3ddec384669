package dev.disposables.spring;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.Scope;
import org.springframework.beans.factory.support.AbstractBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.core.metrics.ApplicationStartup;

/**
 * Registers the {@value DisposalScoped#SCOPE_NAME} scope and starts recording which bean
 * is being created on each thread, so that a prototype injected into a bean is owned by
 * that bean (see {@code CreationFrames}) and a bean resolved during another's creation is
 * disposed after it (see {@code ObservingAutowireCandidateResolver}); lets the starter
 * know when a request-scoped bean is removed early ({@code destroyScopedBean}).
 *
 * <p>
 * Declare it as a {@code static} bean method, as every {@link BeanFactoryPostProcessor}.
 *
 * <p>
 * <strong>Internal</strong>: created by the auto-configuration, public only so that it
 * can be; not part of the public API (see "Public API" in docs/core-api.md), it may
 * change without notice.
 */
public class DisposalScopesBeanFactoryPostProcessor implements BeanFactoryPostProcessor, PriorityOrdered {

	private static final String REQUEST_SCOPE = "request";

	private final boolean scopeOnly;

	/** Create the post-processor of an application the starter disposes. */
	public DisposalScopesBeanFactoryPostProcessor() {
		this(false);
	}

	/**
	 * Create the post-processor.
	 * @param scopeOnly whether to register only the {@value DisposalScoped#SCOPE_NAME}
	 * scope and leave the rest of the bean factory as Spring made it (the starter
	 * switched off)
	 */
	public DisposalScopesBeanFactoryPostProcessor(boolean scopeOnly) {
		this.scopeOnly = scopeOnly;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
		if (beanFactory.getRegisteredScope(DisposalScoped.SCOPE_NAME) == null) {
			beanFactory.registerScope(DisposalScoped.SCOPE_NAME, new DisposalBeanScope(beanFactory));
		}
		if (this.scopeOnly) {
			return;
		}
		if (beanFactory instanceof DefaultListableBeanFactory factory
				&& !(factory.getAutowireCandidateResolver() instanceof ObservingAutowireCandidateResolver)) {
			factory.setAutowireCandidateResolver(
					new ObservingAutowireCandidateResolver(factory.getAutowireCandidateResolver(), beanFactory));
		}
		Scope request = beanFactory.getRegisteredScope(REQUEST_SCOPE);
		if (request != null && !(request instanceof RemovalAwareScope)) {
			beanFactory.registerScope(REQUEST_SCOPE,
					new RemovalAwareScope(request, (removed) -> releaseFromContainer(beanFactory, removed)));
		}
		if (beanFactory instanceof AbstractBeanFactory factory
				&& !(factory.getApplicationStartup() instanceof CreationFrames.TrackingApplicationStartup)) {
			ApplicationStartup startup = factory.getApplicationStartup();
			factory.setApplicationStartup(new CreationFrames.TrackingApplicationStartup(startup, beanFactory));
		}
	}

	/**
	 * A bean removed from its scope before the scope ends ({@code destroyScopedBean}) is
	 * destroyed by Spring right away: the starter disposes it then too, rather than
	 * leaving it to the end of the scope instance.
	 * @param beanFactory the bean factory whose registry tracks the bean
	 * @param removed the bean removed from its scope
	 */
	static void releaseFromContainer(ConfigurableListableBeanFactory beanFactory, Object removed) {
		DisposableRegistry registry = beanFactory.getBeanProvider(DisposableRegistry.class).getIfUnique();
		ManagedResource resource = (registry != null) ? registry.lookup(removed) : null;
		if (resource != null) {
			resource.setScopeManaged(false);
		}
	}

}
