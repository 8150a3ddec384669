package dev.disposables.spring;

import org.jspecify.annotations.Nullable;

import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectFactory;
import org.springframework.beans.factory.config.Scope;

/**
 * The {@value DisposalScoped#SCOPE_NAME} scope: one instance of each bean per
 * {@link DisposalScope}, taken from the scope current on the calling thread.
 */
final class DisposalBeanScope implements Scope {

	private final BeanFactory beanFactory;

	/**
	 * Create the scope of one bean factory: only scopes opened for that factory's context
	 * hold its beans.
	 * @param beanFactory the bean factory whose beans this scope holds
	 */
	DisposalBeanScope(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object get(String name, ObjectFactory<?> objectFactory) {
		return currentScope(name).scopedBean(name, objectFactory);
	}

	@Override
	public @Nullable Object remove(String name) {
		DefaultDisposalScope scope = CurrentDisposalScope.get(this.beanFactory);
		Object exposed = (scope != null) ? scope.removeScopedBean(name) : null;
		// Spring destroys what remove() returns: the bean itself, never an AOP proxy of
		// it (on a CGLIB proxy a @PreDestroy method would run against uninitialized
		// fields).
		Object removed = (exposed != null) ? ProxyTargets.ultimateTarget(exposed) : null;
		if (removed != null) {
			// destroyScopedBean: Spring destroys the bean now, and so does the starter,
			// not at the end of the scope.
			ManagedResource resource = scope.registry().lookup(removed);
			if (resource != null) {
				resource.setScopeManaged(false);
			}
		}
		return removed;
	}

	@Override
	public void registerDestructionCallback(String name, Runnable callback) {
		currentScope(name).addDestructionCallback(callback);
	}

	@Override
	public @Nullable Object resolveContextualObject(String key) {
		return null;
	}

	@Override
	public @Nullable String getConversationId() {
		DefaultDisposalScope scope = CurrentDisposalScope.get(this.beanFactory);
		return (scope != null) ? scope.toString() : null;
	}

	private DefaultDisposalScope currentScope(String name) {
		DefaultDisposalScope scope = CurrentDisposalScope.get(this.beanFactory);
		if (scope == null) {
			String beanName = ScopedProxyUtils.isScopedTarget(name) ? ScopedProxyUtils.getOriginalBeanName(name) : name;
			throw new IllegalStateException(
					"No DisposalScope of this application context is open on this thread for @DisposalScoped bean '"
							+ beanName
							+ "'. Open one with DisposalScopes.open() (try-with-resources) or run the work in "
							+ "DisposalScopes.call(...) / callAsync(...); work handed to other threads sees the scope only "
							+ "through context propagation (for example a ContextPropagatingTaskDecorator).");
		}
		return scope;
	}

}
