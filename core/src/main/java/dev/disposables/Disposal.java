package dev.disposables;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Static helpers: the project's single async-first dispatch rule, and {@code await using}
 * for {@link CompletionStage} code.
 *
 * <pre>{@code
 * // dispose anything disposable, async-first
 * Disposal.disposeAsync(bean).whenComplete((ok, failure) -> ...);
 *
 * // await using: the session is disposed after the body's stage completes or fails
 * CompletionStage<Report> report = Disposal.using(
 *         () -> sessions.open(),
 *         session -> session.query(q).thenApply(Report::of));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Disposal {

	private Disposal() {
	}

	/**
	 * Disposes {@code resource} the way the whole project does, async-first: an
	 * {@link AsyncDisposable} through {@code disposeAsync()} only, any other
	 * {@link AutoCloseable} through {@code close()} on the calling thread, {@code null}
	 * not at all.
	 *
	 * <p>
	 * A disposer that throws, or returns a {@code null} stage, yields a failed stage:
	 * this method never throws for a failing disposer. The returned stage fails with the
	 * original exception, not a {@code CompletionException}.
	 * @param resource the resource; may be {@code null}
	 * @return a stage completing when disposal has finished
	 * @throws IllegalArgumentException if {@code resource} is neither
	 * {@code AsyncDisposable} nor {@code AutoCloseable} (the message names its class
	 * only)
	 */
	public static CompletionStage<Void> disposeAsync(@Nullable Object resource) {
		Dispatch.requireDisposable(resource);
		try {
			CompletionStage<?> stage = Dispatch.start(resource);
			return (stage != null) ? Stages.completion(stage) : Stages.DONE;
		}
		catch (Throwable failure) {
			return Stages.failed(failure);
		}
	}

	/**
	 * Like {@link #disposeAsync(Object)}, but runs a blocking {@code close()} on
	 * {@code blockingExecutor} instead of the calling thread. {@code disposeAsync()} is
	 * still called on the calling thread: it must not block by contract.
	 * @param resource the resource; may be {@code null}
	 * @param blockingExecutor runs {@code close()} of a resource that is not
	 * {@code AsyncDisposable}; if it rejects the task, the returned stage fails with the
	 * rejection
	 * @return a stage completing when disposal has finished
	 * @throws IllegalArgumentException if {@code resource} is neither
	 * {@code AsyncDisposable} nor {@code AutoCloseable}
	 */
	public static CompletionStage<Void> disposeAsync(@Nullable Object resource, Executor blockingExecutor) {
		Objects.requireNonNull(blockingExecutor, "blockingExecutor");
		if (resource == null || resource instanceof AsyncDisposable) {
			return disposeAsync(resource);
		}
		Dispatch.requireDisposable(resource);
		AutoCloseable closeable = (AutoCloseable) resource;
		CompletableFuture<Void> done = new CompletableFuture<>();
		try {
			blockingExecutor.execute(() -> {
				try {
					closeable.close();
					done.complete(null);
				}
				catch (Throwable failure) {
					done.completeExceptionally(failure);
				}
			});
		}
		catch (Throwable rejected) {
			done.completeExceptionally(rejected);
		}
		return done;
	}

	/**
	 * {@code await using} for {@link CompletionStage} code: obtains a resource, runs
	 * {@code body} with it, and disposes the resource (async-first, see
	 * {@link #disposeAsync(Object)}) once the body's stage has completed or failed. The
	 * returned stage completes only after the disposal has finished.
	 *
	 * <ul>
	 * <li>{@code resourceSupplier} throws: the result fails with that exception; nothing
	 * is disposed and the body does not run.</li>
	 * <li>The body throws, returns {@code null} or its stage fails: the resource is still
	 * disposed; the result fails with the body's failure, a disposal failure is
	 * suppressed onto it.</li>
	 * <li>The body succeeds and disposal fails: the result fails with the disposal
	 * failure.</li>
	 * <li>The resource is {@code null}: the body runs with {@code null}, nothing is
	 * disposed.</li>
	 * </ul>
	 *
	 * <p>
	 * Failures are the original exceptions, never {@code CompletionException} wrappers.
	 * @param resourceSupplier obtains the resource; may throw
	 * @param body the work to do with the resource
	 * @param <R> the type of the resource
	 * @param <T> the type of the result
	 * @return the body's result, available once the resource is disposed
	 */
	public static <R extends @Nullable AutoCloseable, T extends @Nullable Object> CompletionStage<T> using(
			Callable<? extends R> resourceSupplier, Function<? super R, ? extends CompletionStage<T>> body) {
		Objects.requireNonNull(resourceSupplier, "resourceSupplier");
		Objects.requireNonNull(body, "body");
		R resource;
		try {
			resource = resourceSupplier.call();
		}
		catch (Throwable failure) {
			return Stages.failed(failure);
		}
		CompletableFuture<T> result = new CompletableFuture<>();
		try {
			CompletionStage<T> stage = Stages.requireStage(body.apply(resource), body, "apply()");
			stage.whenComplete((value, failure) -> disposeThenComplete(resource, value,
					(failure != null) ? Failures.unwrap(failure) : null, result));
		}
		catch (Throwable bodyFailure) {
			disposeThenComplete(resource, null, bodyFailure, result);
		}
		return result;
	}

	private static <T> void disposeThenComplete(AutoCloseable resource, T value, Throwable bodyFailure,
			CompletableFuture<T> result) {
		disposeAsync(resource).whenComplete((ignored, disposalFailure) -> {
			Throwable failure = Failures.add(bodyFailure,
					(disposalFailure != null) ? Failures.unwrap(disposalFailure) : null);
			if (failure == null) {
				result.complete(value);
			}
			else {
				result.completeExceptionally(failure);
			}
		});
	}

}
