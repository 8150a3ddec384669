package dev.disposables.spring;

/**
 * Life-cycle state of a resource managed by the {@link DisposableRegistry}.
 *
 * <p>
 * A resource starts {@link #LIVE}, moves to {@link #DISPOSING} when the first of its
 * possible disposers (a scope end, an explicit dispose, Spring's own destruction or the
 * shutdown) reaches it, and ends in exactly one terminal state.
 */
public enum ResourceState {

	/** Created and not yet disposed. */
	LIVE,

	/** Disposal has started and has not finished yet. */
	DISPOSING,

	/** Disposal completed normally. */
	DISPOSED,

	/**
	 * Disposal completed with a failure (logged and counted; the resource is not
	 * retried).
	 */
	FAILED,

	/**
	 * Disposal did not finish within its timeout or the shutdown deadline and was
	 * abandoned.
	 */
	TIMED_OUT,

	/**
	 * The resource became unreachable without having been disposed: its user did not
	 * dispose it, and it is reported as a leak. Only resources whose disposal by their
	 * user the starter observes end so (see {@link #COLLECTED}).
	 */
	LEAKED,

	/**
	 * The resource became unreachable and the starter cannot tell whether its user
	 * disposed it: its class neither extends {@code DisposableBase} nor announces its
	 * disposal ({@code @ReportsDisposal}), and it was not disposed through a path the
	 * starter sees (the registry, a scope, a stack, Spring's destruction). Not reported
	 * as a leak: a {@code close()} called directly by correct code is invisible.
	 */
	COLLECTED;

	/**
	 * Whether this state is final.
	 * @return {@code true} for every state except {@link #LIVE} and {@link #DISPOSING}
	 */
	public boolean isTerminal() {
		return this != LIVE && this != DISPOSING;
	}

}
