package dev.disposables.benchmarks;

/**
 * What the latency benchmark's endpoint does with its request-scoped bean.
 *
 * @author Disposables maintainers
 */
public interface RequestWork {

	/**
	 * A trivial use of the bean, so that the request creates it.
	 * @return the response body
	 */
	String work();

}
