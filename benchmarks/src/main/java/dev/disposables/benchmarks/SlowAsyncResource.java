package dev.disposables.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.disposables.AsyncDisposable;

/**
 * A resource whose disposal completes after a fixed latency without holding a thread
 * meanwhile, like a client that sends a goodbye and awaits the acknowledgement on an
 * event loop.
 */
final class SlowAsyncResource implements AsyncDisposable {

	private final long latencyMillis;

	private final ScheduledExecutorService timer;

	private final AtomicInteger disposed;

	SlowAsyncResource(long latencyMillis, ScheduledExecutorService timer, AtomicInteger disposed) {
		this.latencyMillis = latencyMillis;
		this.timer = timer;
		this.disposed = disposed;
	}

	@Override
	public CompletionStage<Void> disposeAsync() {
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.timer.schedule(() -> {
			this.disposed.incrementAndGet();
			done.complete(null);
		}, this.latencyMillis, TimeUnit.MILLISECONDS);
		return done;
	}

}
