package dev.disposables.spring;

/**
 * How a resource is disposed: through an asynchronous method that holds no thread while
 * it waits, or through blocking callbacks run on the bounded disposal executor.
 */
public enum DisposalMode {

	/**
	 * {@code disposeAsync()} of an {@link dev.disposables.AsyncDisposable} or another
	 * async destroy method.
	 */
	ASYNC,

	/**
	 * {@code @PreDestroy}, {@code DisposableBean}, {@code close()}/{@code shutdown()} or
	 * explicit destroy methods.
	 */
	SYNC

}
