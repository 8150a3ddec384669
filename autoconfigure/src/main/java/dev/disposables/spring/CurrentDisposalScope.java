package dev.disposables.spring;

import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;

/**
 * The {@link DisposalScope} current on each thread. The thread-local holds the innermost
 * scope; a scope that has been disposed (possibly on another thread) is skipped, so that
 * the enclosing one is current again and a pooled thread never keeps a dead scope.
 */
final class CurrentDisposalScope {

	private static final ThreadLocal<@Nullable DefaultDisposalScope> current = new ThreadLocal<>();

	private CurrentDisposalScope() {
	}

	/**
	 * The innermost scope on this thread that has not been disposed, or {@code null}.
	 * @return the current scope, or {@code null}
	 */
	static @Nullable DefaultDisposalScope get() {
		DefaultDisposalScope scope = current.get();
		if (scope == null || !scope.isDisposed()) {
			return scope;
		}
		DefaultDisposalScope live = scope.parent();
		while (live != null && live.isDisposed()) {
			live = live.parent();
		}
		set(live);
		return live;
	}

	/**
	 * The innermost open scope on this thread that belongs to the application context of
	 * a registry: with several contexts in one JVM (a test suite's context cache, parent
	 * and child contexts), a scope opened for one context never owns another context's
	 * beans.
	 * @param registry the registry of the context asking
	 * @return the scope, or {@code null}
	 */
	static @Nullable DefaultDisposalScope get(DisposableRegistry registry) {
		return innermost((scope) -> scope.registry() == registry);
	}

	/**
	 * The innermost open scope on this thread whose beans are resolved by a bean factory.
	 * @param beanFactory the bean factory of the context asking
	 * @return the scope, or {@code null}
	 */
	static @Nullable DefaultDisposalScope get(BeanFactory beanFactory) {
		return innermost((scope) -> scope.beanFactory() == beanFactory);
	}

	private static @Nullable DefaultDisposalScope innermost(Predicate<DefaultDisposalScope> belongs) {
		for (DefaultDisposalScope scope = get(); scope != null; scope = scope.parent()) {
			if (!scope.isDisposed() && belongs.test(scope)) {
				return scope;
			}
		}
		return null;
	}

	static void set(@Nullable DefaultDisposalScope scope) {
		if (scope == null) {
			current.remove();
		}
		else {
			current.set(scope);
		}
	}

	/**
	 * A scope is being disposed: if it is current on this thread, its enclosing scope
	 * becomes current again.
	 * @param scope the scope being disposed
	 */
	static void leave(DefaultDisposalScope scope) {
		if (current.get() == scope) {
			get();
		}
	}

	static <T> T with(DefaultDisposalScope scope, Supplier<T> work) {
		DefaultDisposalScope previous = current.get();
		set(scope);
		try {
			return work.get();
		}
		finally {
			set(previous);
		}
	}

}
