package dev.disposables;

import java.util.concurrent.CompletionStage;

/**
 * One unit of a sequential disposal that is not simply a resource (a callback, a core).
 */
@FunctionalInterface
interface DisposeStep {

	/**
	 * Runs the step.
	 * @return {@code null} if the step finished synchronously, otherwise the stage to
	 * wait for
	 * @throws Throwable if the step failed synchronously
	 */
	CompletionStage<?> start() throws Throwable;

}
