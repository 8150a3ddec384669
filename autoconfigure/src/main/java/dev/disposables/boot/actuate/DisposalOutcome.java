package dev.disposables.boot.actuate;

import dev.disposables.spring.DisposableResource;
import dev.disposables.spring.ResourceState;
import org.jspecify.annotations.Nullable;

/**
 * The {@code outcome} of a disposal as metrics and observations both name it, so that a
 * dashboard can join the two: {@code success}, {@code failure} or {@code timeout}.
 */
final class DisposalOutcome {

	private DisposalOutcome() {
	}

	/**
	 * The outcome of a finished disposal.
	 * @param resource the disposed resource, in its final state
	 * @param failure what the disposal threw, if anything
	 * @return {@code success}, {@code failure} or {@code timeout}
	 */
	static String of(DisposableResource resource, @Nullable Throwable failure) {
		if (resource.state() == ResourceState.TIMED_OUT) {
			return "timeout";
		}
		return (failure != null || resource.state() == ResourceState.FAILED) ? "failure" : "success";
	}

}
