package dev.disposables;

import java.util.concurrent.CompletionStage;

/**
 * A resource that releases what it holds asynchronously: the Java counterpart of .NET's
 * {@code IAsyncDisposable}.
 *
 * <p>
 * Every async disposable is also an {@link AutoCloseable}: the default {@link #close()}
 * waits for {@link #disposeAsync()} and rethrows the original failure. A caller that only
 * knows try-with-resources therefore still disposes the resource instead of leaking it.
 *
 * <pre>{@code
 * final class Connection implements AsyncDisposable {
 *     public CompletionStage<Void> disposeAsync() {
 *         return flush().thenCompose(ignored -> socket.closeAsync());
 *     }
 * }
 *
 * // async callers chain without holding a thread
 * connection.disposeAsync().thenRun(() -> log.info("closed"));
 *
 * // sync callers use try-with-resources
 * try (Connection c = connect()) {
 *     c.send(message);
 * }
 * }</pre>
 *
 * <p>
 * Implementations should make {@code disposeAsync()} idempotent and thread-safe, with the
 * semantics of .NET and the TC39 explicit resource management proposal: a call after the
 * disposal has completed, successfully or not, is a no-op that returns a completed stage,
 * not the failed stage again. (The default {@link #close()} reports whatever failure the
 * stage carries, so an implementation that hands out the same failed stage twice makes an
 * explicit {@code close()} inside try-with-resources end in
 * {@code IllegalArgumentException: Self-suppression not
 * permitted} instead of the real failure.) {@link DisposableBase},
 * {@link AsyncDisposableStack} and {@link DisposableStack} do all of this for you, and
 * also let a call that re-enters a disposal in progress (an ownership cycle) return at
 * once instead of waiting for itself.
 *
 * @since 0.1.0
 */
// "try": close() may throw InterruptedException because it waits; that is intended here.
@SuppressWarnings("try")
public interface AsyncDisposable extends AutoCloseable {

	/**
	 * Starts releasing the resources held by this object.
	 * @return a stage that completes when disposal has finished, exceptionally with the
	 * failure if it failed; never {@code null}
	 */
	CompletionStage<Void> disposeAsync();

	/**
	 * Disposes this object and waits for the disposal to finish.
	 *
	 * <p>
	 * A failure of the disposal is rethrown as it is: an {@code IOException} that failed
	 * the stage comes out as that {@code IOException}, not wrapped in a
	 * {@code CompletionException} or {@code ExecutionException}; an {@code Error} is
	 * rethrown as is. If the waiting thread is interrupted, its interrupt flag is
	 * restored and {@link InterruptedException} is thrown (the disposal itself goes on).
	 *
	 * <p>
	 * This default keeps no state: every call calls {@code disposeAsync()} and reports
	 * what its stage reports. A second {@code close()} is therefore a no-op exactly when
	 * a second {@code disposeAsync()} returns a completed stage, as the class comment
	 * asks of implementations ({@link DisposableBase} and {@link AsyncDisposableStack}
	 * override this method with that guarantee).
	 * @throws Exception the original failure of the disposal
	 */
	@Override
	default void close() throws Exception {
		CompletionStage<Void> stage = disposeAsync();
		Stages.await(Stages.requireStage(stage, this, "disposeAsync()"));
	}

}
