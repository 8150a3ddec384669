package dev.disposables.spring;

import java.time.Duration;

/**
 * What one shutdown disposal did.
 *
 * @param disposed resources disposed successfully
 * @param async of those, how many through an async method
 * @param sync of those, how many through sync callbacks
 * @param failed resources whose disposal failed
 * @param timedOut resources abandoned at their timeout or at the overall deadline
 * @param duration wall-clock time of the whole disposal
 */
public record ShutdownReport(int disposed, int async, int sync, int failed, int timedOut, Duration duration) {

	/**
	 * The one-line summary logged at INFO.
	 * @return the summary
	 */
	public String summary() {
		return "Disposed " + this.disposed + " resources (async " + this.async + ", sync " + this.sync + ") in "
				+ this.duration.toMillis() + " ms: " + this.failed + " failed, " + this.timedOut + " timed out";
	}

}
