package dev.disposables.benchmarks;

/**
 * What the latency benchmark's endpoint does with its request-scoped bean.
 */
public interface RequestWork {

	/**
	 * A trivial use of the bean, so that the request creates it.
	 * @return the response body
	 */
	String work();

}
