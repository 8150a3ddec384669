package dev.disposables.benchmarks;

/**
 * The target of the scoped proxies of {@link ScopedProxyBenchmark}: a disposable bean
 * with one cheap method, so that a call measures the proxy's path (the target's lookup in
 * its scope), not the work.
 */
public class ScopedWork implements AutoCloseable {

	private int calls;

	public int call() {
		return ++this.calls;
	}

	@Override
	public void close() {
	}

}
