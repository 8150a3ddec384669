package dev.disposables.spring;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What one shutdown disposal did.
 *
 * <p>
 * Besides the counts, it says where the time went: the {@link #criticalPath() critical
 * path} is the chain of disposals that decided how long the disposal graph took (each one
 * waited for the one before it), and {@link #slowest()} lists the disposals that took
 * longest on their own. A slow shutdown is shortened by shortening the critical path: a
 * faster disposal on it, or one dependency less.
 *
 * @param disposed resources disposed successfully
 * @param async of those, how many through an async method
 * @param sync of those, how many through sync callbacks
 * @param failed resources whose disposal failed
 * @param timedOut resources abandoned at their timeout or at the overall deadline
 * @param duration wall-clock time of the whole disposal
 * @param criticalPath the chain of disposals that ended last, in the order they ran: each
 * link started when the one before it (its {@link DisposalTiming#waitedFor() waitedFor})
 * finished; empty when nothing was disposed
 * @param slowest the slowest disposals, slowest first (at most {@link #SLOWEST_LIMIT})
 */
public record ShutdownReport(int disposed, int async, int sync, int failed, int timedOut, Duration duration,
		List<DisposalTiming> criticalPath, List<DisposalTiming> slowest) {

	/**
	 * How many disposals {@link #slowest()} lists at most.
	 * @since 0.2.0
	 */
	public static final int SLOWEST_LIMIT = 5;

	/**
	 * Create a report.
	 * @since 0.2.0
	 */
	public ShutdownReport {
		Objects.requireNonNull(duration, "duration");
		criticalPath = List.copyOf(criticalPath);
		slowest = List.copyOf(slowest);
	}

	/**
	 * Create a report without timings.
	 * @param disposed resources disposed successfully
	 * @param async of those, how many through an async method
	 * @param sync of those, how many through sync callbacks
	 * @param failed resources whose disposal failed
	 * @param timedOut resources abandoned at their timeout or at the overall deadline
	 * @param duration wall-clock time of the whole disposal
	 */
	public ShutdownReport(int disposed, int async, int sync, int failed, int timedOut, Duration duration) {
		this(disposed, async, sync, failed, timedOut, duration, List.of(), List.of());
	}

	/**
	 * The one-line summary logged at INFO.
	 * @return the summary
	 */
	public String summary() {
		return "Disposed " + this.disposed + " resources (async " + this.async + ", sync " + this.sync + ") in "
				+ this.duration.toMillis() + " ms: " + this.failed + " failed, " + this.timedOut + " timed out";
	}

	/**
	 * The critical path and the slowest disposals in one line, as logged after the
	 * {@link #summary() summary} (at INFO when the shutdown took longer than
	 * {@code disposables.shutdown.critical-path-threshold}, at DEBUG otherwise). Bean
	 * names and class names only.
	 * @return the description
	 * @since 0.2.0
	 */
	public String criticalPathSummary() {
		if (this.criticalPath.isEmpty()) {
			return "Shutdown critical path: nothing was disposed";
		}
		DisposalTiming last = this.criticalPath.get(this.criticalPath.size() - 1);
		String path = this.criticalPath.stream().map(DisposalTiming::describe).collect(Collectors.joining(" -> "));
		String slowest = this.slowest.stream()
			.map((timing) -> "'" + timing.beanName() + "' " + timing.duration().toMillis() + " ms")
			.collect(Collectors.joining(", "));
		return "Shutdown critical path (" + this.criticalPath.size() + " disposal(s), ended at +"
				+ last.endedAt().toMillis() + " ms of " + this.duration.toMillis() + " ms): " + path + "; slowest: "
				+ slowest;
	}

}
