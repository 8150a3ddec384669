package dev.disposables.spring;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Disposals started after their request, exchange or scope ended, which the shutdown must
 * still await: each is tracked until it completes, and {@link #awaitAll()} is what a
 * {@link ShutdownParticipant} returns from {@code disposeForShutdown()}. The one place of
 * the pattern the web filters and the scopes share.
 *
 * <p>
 * <strong>Internal</strong>: public for the starter's web integrations
 * ({@code dev.disposables.spring.web.*}); not part of the public API (see "Public API" in
 * docs/core-api.md), it may change without notice.
 */
public final class InFlightDisposals {

	private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();

	/**
	 * Tracks a disposal until it completes; one already complete is not tracked. Failures
	 * are the disposal's own to report (the registry logs them with the bean's name):
	 * here they only end the tracking.
	 * @param disposal the disposal
	 * @return the same disposal
	 */
	public CompletableFuture<Void> track(CompletableFuture<Void> disposal) {
		if (disposal.isDone()) {
			return disposal;
		}
		this.inFlight.add(disposal);
		disposal.whenComplete((ignored, failure) -> this.inFlight.remove(disposal));
		return disposal;
	}

	/**
	 * A stage that completes when every disposal in flight now has completed, whether it
	 * succeeded or not.
	 * @return the stage
	 */
	public CompletionStage<Void> awaitAll() {
		return CompletableFuture.allOf(this.inFlight.stream()
			.map((stage) -> stage.handle((ignored, failure) -> null))
			.toArray(CompletableFuture<?>[]::new));
	}

	/**
	 * How many disposals are in flight.
	 * @return the count
	 */
	public int count() {
		return this.inFlight.size();
	}

}
