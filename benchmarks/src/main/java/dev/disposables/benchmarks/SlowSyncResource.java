package dev.disposables.benchmarks;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A resource whose {@code close()} blocks its thread for a fixed latency, like a driver
 * that flushes and waits.
 */
final class SlowSyncResource implements AutoCloseable {

	private final long latencyMillis;

	private final AtomicInteger disposed;

	SlowSyncResource(long latencyMillis, AtomicInteger disposed) {
		this.latencyMillis = latencyMillis;
		this.disposed = disposed;
	}

	@Override
	public void close() throws InterruptedException {
		Thread.sleep(this.latencyMillis);
		this.disposed.incrementAndGet();
	}

}
