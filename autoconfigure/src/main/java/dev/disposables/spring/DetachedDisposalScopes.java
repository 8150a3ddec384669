package dev.disposables.spring;

import java.util.concurrent.CompletableFuture;

/**
 * Scopes that are current on no thread, for work that carries its scope itself (a web
 * exchange's attributes and Reactor {@code Context}) rather than running on the opening
 * thread: the seam between the engine and the reactive web integration. Each is disposed
 * with {@link #disposeOffThread}, never running user code on the calling thread (an event
 * loop). Scopes still open at shutdown are disposed with the other open scopes by
 * {@link DisposalScopes}.
 *
 * <p>
 * <strong>Internal</strong>: public for the starter's web integrations
 * ({@code dev.disposables.spring.web.*}); not part of the public API (see "Public API" in
 * docs/core-api.md), it may change without notice.
 */
public final class DetachedDisposalScopes {

	private final DisposalScopes scopes;

	/**
	 * Create the scopes.
	 * @param scopes the scopes of the application context whose beans the work uses
	 */
	public DetachedDisposalScopes(DisposalScopes scopes) {
		this.scopes = scopes;
	}

	/**
	 * Opens a scope, enclosed by no other.
	 * @return the new scope
	 */
	public DisposalScope open() {
		return this.scopes.openDetached(null);
	}

	/**
	 * Disposes a scope opened here without running user code on the calling thread: sync
	 * disposals run on the disposal executor, async ones are started from the launcher.
	 * @param scope a scope {@linkplain #open() opened here}
	 * @return a stage that completes with the scope's disposal; cancelling it does not
	 * affect the disposal
	 */
	public CompletableFuture<Void> disposeOffThread(DisposalScope scope) {
		return ((DefaultDisposalScope) scope).disposeOffThread();
	}

}
