package dev.disposables.spring;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The {@link DisposalAdapter.Context} of one disposal: escalations become the attempt's
 * cancellers, so that they run exactly when the attempt is abandoned (its timeout, the
 * shutdown's deadline) and never after it finished.
 */
final class AdapterContext implements DisposalAdapter.Context {

	private static final long FIRST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private final Duration timeout;

	private final Executor executor;

	private final Consumer<Runnable> onAbandon;

	AdapterContext(Duration timeout, Executor executor, Consumer<Runnable> onAbandon) {
		this.timeout = timeout;
		this.executor = executor;
		this.onAbandon = onAbandon;
	}

	@Override
	public Duration timeout() {
		return this.timeout;
	}

	@Override
	public void onTimeout(Runnable escalation) {
		this.onAbandon.accept(escalation);
	}

	@Override
	public Executor executor() {
		return this.executor;
	}

	@Override
	public CompletionStage<Void> await(@Nullable Object result) {
		return AsyncResults.toStage(result, this.executor, this.onAbandon);
	}

	@Override
	public CompletionStage<Void> awaitCondition(BooleanSupplier condition) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		// Abandoned: stop polling (the escalation registered by the adapter does the
		// rest).
		this.onAbandon.accept(() -> done.cancel(false));
		poll(condition, done, FIRST_POLL_NANOS);
		return done;
	}

	private void poll(BooleanSupplier condition, CompletableFuture<Void> done, long nextDelayNanos) {
		if (done.isDone()) {
			return;
		}
		try {
			if (condition.getAsBoolean()) {
				done.complete(null);
				return;
			}
		}
		catch (Throwable ex) {
			done.completeExceptionally(ex);
			return;
		}
		// The JDK's delay thread only hands the next check over to the starter's threads.
		Executor delayed = CompletableFuture.delayedExecutor(nextDelayNanos, TimeUnit.NANOSECONDS, this.executor);
		delayed.execute(() -> poll(condition, done, Math.min(nextDelayNanos * 2, MAX_POLL_NANOS)));
	}

}
