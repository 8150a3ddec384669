package dev.disposables.spring;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectFactory;
import org.springframework.beans.factory.config.Scope;

/**
 * The {@value DisposalScoped#SCOPE_NAME} scope: one instance of each bean per {@link DisposalScope}, taken from the
 * scope current on the calling thread.
 */
final class DisposalBeanScope implements Scope {

	@Override
	public Object get(String name, ObjectFactory<?> objectFactory) {
		return currentScope(name).scopedBean(name, objectFactory);
	}

	@Override
	public @Nullable Object remove(String name) {
		DefaultDisposalScope scope = CurrentDisposalScope.get();
		return (scope != null) ? scope.removeScopedBean(name) : null;
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
		DefaultDisposalScope scope = CurrentDisposalScope.get();
		return (scope != null) ? scope.toString() : null;
	}

	private static DefaultDisposalScope currentScope(String name) {
		DefaultDisposalScope scope = CurrentDisposalScope.get();
		if (scope == null) {
			String beanName = name.startsWith("scopedTarget.") ? name.substring("scopedTarget.".length()) : name;
			throw new IllegalStateException("No DisposalScope is open on this thread for @DisposalScoped bean '"
					+ beanName + "'. Open one with DisposalScopes.open() (try-with-resources) or run the work in "
					+ "DisposalScopes.call(...) / callAsync(...); work handed to other threads sees the scope only "
					+ "through context propagation (for example a ContextPropagatingTaskDecorator).");
		}
		return scope;
	}

}
