package dev.disposables;

import java.util.concurrent.CompletionStage;

/**
 * The async-first dispatch rule, in one place so every container disposes members alike.
 */
final class Dispatch {

	private Dispatch() {
	}

	/**
	 * Rejects what the dispatch rule cannot dispose.
	 * @param resource the resource to check
	 * @throws IllegalArgumentException naming the class only, never {@code toString()}
	 */
	static void requireDisposable(Object resource) {
		if (!(resource == null || resource instanceof AutoCloseable || resource instanceof DisposeStep)) {
			throw new IllegalArgumentException("Cannot dispose an instance of " + Failures.nameOf(resource)
					+ ": it is neither AsyncDisposable nor AutoCloseable");
		}
	}

	/**
	 * Starts disposing {@code member}: an {@link AsyncDisposable} by
	 * {@code disposeAsync()} only (never also {@code close()}), any other
	 * {@link AutoCloseable} by {@code close()} on this thread.
	 * @param member the member to dispose, may be {@code null}
	 * @return {@code null} if disposal finished synchronously, otherwise the stage to
	 * wait for
	 * @throws Throwable the synchronous failure of the disposal
	 */
	static CompletionStage<?> start(Object member) throws Throwable {
		if (member == null) {
			return null;
		}
		if (member instanceof DisposeStep step) {
			return step.start();
		}
		if (member instanceof AsyncDisposable async) {
			return Stages.requireStage(async.disposeAsync(), async, "disposeAsync()");
		}
		if (member instanceof AutoCloseable closeable) {
			closeable.close();
			return null;
		}
		requireDisposable(member);
		throw new AssertionError("unreachable");
	}

}
