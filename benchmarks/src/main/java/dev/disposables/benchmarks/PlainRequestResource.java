package dev.disposables.benchmarks;

/**
 * The same request-scoped bean without any disposal: the baseline of the latency
 * benchmark.
 */
public class PlainRequestResource implements RequestWork {

	@Override
	public String work() {
		return "ok";
	}

}
