package dev.disposables.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;

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

	private static final BiFunction<Object, @Nullable Throwable, @Nullable Void> IGNORE_OUTCOME = (ignored,
			failure) -> null;

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
		List<CompletableFuture<?>> all = new ArrayList<>();
		for (CompletableFuture<Void> disposal : this.inFlight) {
			all.add(ignoringOutcome(disposal));
		}
		return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
	}

	/**
	 * A stage that completes normally when the given one completes, whatever its outcome.
	 * Its function is a constant, linked when this class is first used rather than at
	 * shutdown, where code runs once and cold.
	 * @param stage the stage
	 * @return a stage that completes normally with it
	 */
	static CompletableFuture<@Nullable Void> ignoringOutcome(CompletionStage<?> stage) {
		return stage.toCompletableFuture().handle(IGNORE_OUTCOME);
	}

	/**
	 * How many disposals are in flight.
	 * @return the count
	 */
	public int count() {
		return this.inFlight.size();
	}

}
