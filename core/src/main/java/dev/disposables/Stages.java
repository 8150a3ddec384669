package dev.disposables;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** CompletionStage plumbing shared by every disposal path. */
final class Stages {

	/**
	 * Completed and immutable ({@code completedStage} cannot be completed again by
	 * callers).
	 */
	static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

	private Stages() {
	}

	/**
	 * A failed stage whose cause is {@code failure} itself, not a wrapper.
	 * @param <T> the type of the stage's value
	 * @param failure the failure
	 * @return the failed stage
	 */
	static <T> CompletableFuture<T> failed(Throwable failure) {
		CompletableFuture<T> future = new CompletableFuture<>();
		future.completeExceptionally(failure);
		return future;
	}

	/**
	 * Rejects a {@code null} stage with a message naming the method and the class of its
	 * owner; failing here beats a {@code NullPointerException} deep inside a composition
	 * later.
	 * @param <S> the type of the stage
	 * @param stage the stage to check
	 * @param owner the object whose method returned the stage
	 * @param method the name of that method
	 * @return the stage
	 */
	static <S extends CompletionStage<?>> S requireStage(S stage, Object owner, String method) {
		if (stage == null) {
			throw new NullPointerException(
					Failures.nameOf(owner) + "." + method + " returned null instead of a CompletionStage");
		}
		return stage;
	}

	/**
	 * A fresh future that completes like {@code stage}, with the original failure rather
	 * than a {@code CompletionException}. Fresh so that no caller can complete a future
	 * others share.
	 * @param <T> the type of the stage's value
	 * @param stage the stage to relay
	 * @return a new future that completes like {@code stage}
	 */
	static <T> CompletableFuture<T> relay(CompletionStage<? extends T> stage) {
		CompletableFuture<T> future = new CompletableFuture<>();
		try {
			stage.whenComplete((value, failure) -> {
				if (failure == null) {
					future.complete(value);
				}
				else {
					future.completeExceptionally(Failures.unwrap(failure));
				}
			});
		}
		catch (Throwable failure) {
			// A misbehaving custom CompletionStage must not turn into a throw for our
			// caller.
			future.completeExceptionally(failure);
		}
		return future;
	}

	/**
	 * Like {@link #relay}, for callers that only care whether {@code stage} succeeded.
	 * @param stage the stage to relay
	 * @return a new future that completes when {@code stage} completes
	 */
	static CompletableFuture<Void> completion(CompletionStage<?> stage) {
		CompletableFuture<Void> future = new CompletableFuture<>();
		try {
			stage.whenComplete((value, failure) -> {
				if (failure == null) {
					future.complete(null);
				}
				else {
					future.completeExceptionally(Failures.unwrap(failure));
				}
			});
		}
		catch (Throwable failure) {
			future.completeExceptionally(failure);
		}
		return future;
	}

	/**
	 * Waits for {@code stage} and rethrows its original failure.
	 * @param stage the stage to wait for
	 * @throws InterruptedException if interrupted while waiting; the interrupt flag is
	 * restored
	 */
	static void await(CompletionStage<?> stage) throws Exception {
		CompletableFuture<?> future;
		try {
			future = stage.toCompletableFuture();
		}
		catch (UnsupportedOperationException notSupported) {
			// toCompletableFuture() is optional for custom stages.
			future = relay(stage);
		}
		try {
			future.get();
		}
		catch (ExecutionException failed) {
			throw Failures.rethrow(Failures.unwrap(failed.getCause()));
		}
		catch (InterruptedException interrupted) {
			// get() clears the flag when it throws; callers further up must still see it.
			Thread.currentThread().interrupt();
			throw interrupted;
		}
	}

}
