package dev.disposables;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Failure handling shared by every disposal path, so they all report failures the same
 * way.
 */
final class Failures {

	private Failures() {
	}

	/**
	 * Strips the {@link CompletionException} and {@link ExecutionException} layers that
	 * {@code CompletableFuture} adds while composing, so users see the exception their
	 * code threw.
	 * @param failure a failure as a stage reported it
	 * @return the innermost failure that is not such a wrapper
	 */
	static Throwable unwrap(Throwable failure) {
		Throwable current = failure;
		while ((current instanceof CompletionException || current instanceof ExecutionException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	/**
	 * Aggregates failures in the order they happened: the first is primary, later ones
	 * are attached to it as suppressed.
	 * @param primary the failure so far, or {@code null}
	 * @param next a further failure, or {@code null}
	 * @return the primary failure
	 */
	static Throwable add(Throwable primary, Throwable next) {
		if (primary == null) {
			return next;
		}
		// addSuppressed rejects self-suppression; the same exception twice is still one
		// failure.
		if (next != null && next != primary) {
			primary.addSuppressed(next);
		}
		return primary;
	}

	/**
	 * Throws the failure as it is. Checked exceptions other than {@link Exception}
	 * subclasses cannot exist, but a custom {@link Throwable} subclass can: it is thrown
	 * unchanged too.
	 * @param failure the failure to throw
	 * @return never: declared so that callers can write {@code throw rethrow(failure)}
	 * @throws Exception the failure itself
	 */
	static Exception rethrow(Throwable failure) throws Exception {
		if (failure instanceof Exception exception) {
			throw exception;
		}
		throw Failures.<RuntimeException>sneaky(failure);
	}

	@SuppressWarnings("unchecked")
	private static <X extends Throwable> X sneaky(Throwable failure) throws X {
		throw (X) failure;
	}

	/**
	 * Names an object without calling its {@code toString()}, which may hold secrets.
	 * @param object the object to name
	 * @return its class name
	 */
	static String nameOf(Object object) {
		return object.getClass().getName();
	}

}
