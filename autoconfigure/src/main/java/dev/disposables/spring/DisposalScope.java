package dev.disposables.spring;

import java.util.concurrent.CompletionStage;

import dev.disposables.AsyncDisposable;
import dev.disposables.ObjectDisposedException;

/**
 * A unit of work that owns what was created in it: prototypes resolved through it (or on
 * a thread where it is current), one instance of every
 * {@link DisposalScoped @DisposalScoped} bean used in it, and what those own. When the
 * scope is disposed, all of it is disposed in reverse creation order, async-first, each
 * finished before the next starts; every disposal is attempted and failures are
 * aggregated (the first one thrown, later ones suppressed).
 *
 * <p>
 * Obtain one from {@link DisposalScopes}:
 *
 * <pre class="code">
 * try (DisposalScope scope = scopes.open()) {
 *     ReportWriter writer = scope.getBean(ReportWriter.class); // a prototype, disposed with the scope
 *     writer.write(rows);
 * }
 * </pre>
 *
 * <p>
 * Disposing a scope is idempotent and thread-safe. From the moment its disposal starts,
 * {@link #getBean} throws {@link ObjectDisposedException}, the scope is no longer current
 * anywhere, and anything still registered into it (work that goes on after the scope was
 * disposed) is disposed at once instead.
 */
public interface DisposalScope extends AsyncDisposable {

	/**
	 * Returns the bean of the given type, making this scope current while it is resolved:
	 * a prototype (and every prototype it gets injected) is owned by this scope, a
	 * {@code @DisposalScoped} bean is this scope's instance.
	 * @param <T> the bean type
	 * @param type the bean type
	 * @return the bean
	 * @throws ObjectDisposedException if this scope has been disposed
	 * @throws org.springframework.beans.BeansException if the bean cannot be resolved
	 */
	<T> T getBean(Class<T> type);

	/**
	 * Returns the named bean, making this scope current while it is resolved (see
	 * {@link #getBean(Class)}).
	 * @param <T> the bean type
	 * @param name the bean name
	 * @param type the bean type
	 * @return the bean
	 * @throws ObjectDisposedException if this scope has been disposed
	 */
	<T> T getBean(String name, Class<T> type);

	/**
	 * Whether disposal of this scope has started.
	 * @return {@code true} once {@link #disposeAsync()} or {@link #close()} has been
	 * called
	 */
	boolean isDisposed();

	/**
	 * Disposes everything this scope owns, most recent first; the same stage is returned
	 * to every caller.
	 * @return a stage that completes when everything has been disposed, exceptionally
	 * with the first failure
	 */
	@Override
	CompletionStage<Void> disposeAsync();

}
