package dev.disposables.spring;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.jspecify.annotations.Nullable;

/**
 * Collects the failures of several cleanup steps that must all be attempted: the first
 * one is primary, the later ones are attached to it as suppressed. Also home to the
 * engine's static failure helpers ({@link #unwrap}, {@link #asUnchecked}); core has its
 * own package-private counterparts, which the starter cannot share.
 */
final class FailureCollector {

	private @Nullable Throwable first;

	void attempt(Step step) {
		try {
			step.run();
		}
		catch (Throwable ex) {
			add(ex);
		}
	}

	void add(Throwable failure) {
		if (this.first == null) {
			this.first = failure;
		}
		else if (this.first != failure) {
			this.first.addSuppressed(failure);
		}
	}

	boolean hasAny() {
		return this.first != null;
	}

	/**
	 * The first failure; call only when {@link #hasAny()}.
	 * @return the first failure, with the later ones suppressed in it
	 */
	Throwable first() {
		Throwable current = this.first;
		if (current == null) {
			throw new IllegalStateException("No failure");
		}
		return current;
	}

	void throwIfAny() throws Exception {
		if (this.first instanceof Exception exception) {
			throw exception;
		}
		if (this.first instanceof Error error) {
			throw error;
		}
		if (this.first != null) {
			// A Throwable of the user's own, neither an Exception nor an Error: still a
			// failure.
			throw new UndeclaredThrowableException(this.first);
		}
	}

	/**
	 * Strips the wrappers that {@code CompletableFuture} adds, so logs and callers see
	 * the original failure.
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

	static RuntimeException asUnchecked(Throwable failure) {
		return (failure instanceof RuntimeException runtime) ? runtime : new CompletionException(failure);
	}

	/** A cleanup step that may throw. */
	@FunctionalInterface
	interface Step {

		void run() throws Exception;

	}

}
