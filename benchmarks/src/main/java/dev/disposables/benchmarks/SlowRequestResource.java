package dev.disposables.benchmarks;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A request-scoped resource whose {@code close()} blocks for a fixed latency (flushing an
 * audit record, returning a session to a remote pool). Public and not final: the request
 * scope proxies it with CGLIB.
 */
public class SlowRequestResource implements RequestWork, AutoCloseable {

	private final long latencyMillis;

	private final AtomicInteger disposed;

	public SlowRequestResource(long latencyMillis, AtomicInteger disposed) {
		this.latencyMillis = latencyMillis;
		this.disposed = disposed;
	}

	@Override
	public String work() {
		return "ok";
	}

	@Override
	public void close() throws InterruptedException {
		Thread.sleep(this.latencyMillis);
		this.disposed.incrementAndGet();
	}

}
