package dev.disposables.spring;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectFactory;
import org.springframework.beans.factory.config.Scope;

/**
 * A scope (Spring's request scope) whose beans the starter disposes at the end of the
 * scope instance, decorated so that the starter learns when a bean is removed early
 * ({@code destroyScopedBean}): Spring then destroys that bean at once, and so does the
 * starter, instead of waiting for the end of the request.
 */
final class RemovalAwareScope implements Scope {

	private final Scope delegate;

	private final Consumer<Object> onRemoved;

	RemovalAwareScope(Scope delegate, Consumer<Object> onRemoved) {
		this.delegate = delegate;
		this.onRemoved = onRemoved;
	}

	Scope delegate() {
		return this.delegate;
	}

	@Override
	public Object get(String name, ObjectFactory<?> objectFactory) {
		return this.delegate.get(name, objectFactory);
	}

	@Override
	public @Nullable Object remove(String name) {
		Object exposed = this.delegate.remove(name);
		if (exposed == null) {
			return null;
		}
		// Spring destroys what remove() returns: the bean itself, as for any other
		// destruction, never an AOP proxy of it (on a CGLIB proxy a @PreDestroy method
		// would run against uninitialized fields).
		Object removed = ProxyTargets.ultimateTarget(exposed);
		this.onRemoved.accept(removed);
		return removed;
	}

	@Override
	public void registerDestructionCallback(String name, Runnable callback) {
		this.delegate.registerDestructionCallback(name, callback);
	}

	@Override
	public @Nullable Object resolveContextualObject(String key) {
		return this.delegate.resolveContextualObject(key);
	}

	@Override
	public @Nullable String getConversationId() {
		return this.delegate.getConversationId();
	}

}
