package dev.disposables.spring;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The per-resource timeouts of the disposals running now, watched by one check on the
 * timer instead of a timer task each.
 *
 * <p>
 * A timer task per disposal made the timer thread wake up for each one (the new task
 * became the head of the timer's queue, then was removed again): with thousands of fast
 * disposals in a row, the timer's work and the context switches cost as much as the
 * disposals. Here a timeout is an entry in a set; one check is scheduled for the earliest
 * deadline, and when it runs it hands the expired timeouts over and schedules itself for
 * the next deadline. All disposals of a registry share one per-resource timeout, so a new
 * timeout never comes before the check already scheduled: a burst of disposals touches
 * the timer once.
 *
 * <p>
 * The check itself runs on the timer thread and only hands work over: each expired
 * timeout's action runs on a starter thread of its own, as a timer task's would.
 */
final class DisposalTimeouts {

	private final ScheduledExecutorService timer;

	private final Executor actions;

	private final Set<Timeout> pending = new HashSet<>(); // guarded by this

	/** Whether a check is scheduled for {@link #checkAt} or earlier. */
	private boolean checkScheduled; // guarded by this

	/** When the scheduled check runs ({@link System#nanoTime()}). */
	private long checkAt; // guarded by this

	/**
	 * Creates the timeouts.
	 * @param timer where the check is scheduled; it only hands work over
	 * @param actions where the action of an expired timeout runs
	 */
	DisposalTimeouts(ScheduledExecutorService timer, Executor actions) {
		this.timer = timer;
		this.actions = actions;
	}

	/**
	 * Starts a timeout.
	 * @param action what to run once the timeout expires, unless cancelled before
	 * @param nanos the timeout
	 * @return the timeout, to cancel once the disposal has finished; {@code null} once
	 * the timer has ended (no timeout then: the caller's thread is waiting)
	 */
	@Nullable Timeout start(Runnable action, long nanos) {
		Timeout timeout = new Timeout(this, action, System.nanoTime() + nanos);
		synchronized (this) {
			this.pending.add(timeout);
			if (this.checkScheduled && this.checkAt - timeout.deadline <= 0) {
				return timeout; // the usual case: the scheduled check comes first
			}
			this.checkScheduled = true;
			this.checkAt = timeout.deadline;
		}
		if (!scheduleCheck(timeout.deadline)) {
			cancel(timeout);
			return null;
		}
		return timeout;
	}

	/**
	 * How many timeouts are running: neither expired nor cancelled.
	 * @return the number of running timeouts
	 */
	synchronized int pendingCount() {
		return this.pending.size();
	}

	private synchronized boolean cancel(Timeout timeout) {
		return this.pending.remove(timeout);
	}

	private boolean scheduleCheck(long deadline) {
		try {
			this.timer.schedule(this::check, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (RejectedExecutionException ex) {
			synchronized (this) {
				this.checkScheduled = false;
			}
			return false;
		}
	}

	/**
	 * On the timer: hands the expired timeouts over, and schedules the check of the next
	 * deadline unless a check already comes in time for it.
	 */
	private void check() {
		List<Timeout> expired = new ArrayList<>();
		long next = 0;
		boolean scheduleNext = false;
		synchronized (this) {
			long now = System.nanoTime();
			boolean anyLeft = false;
			for (Iterator<Timeout> iterator = this.pending.iterator(); iterator.hasNext();) {
				Timeout timeout = iterator.next();
				if (timeout.deadline - now <= 0) {
					expired.add(timeout);
					iterator.remove();
				}
				else if (!anyLeft || timeout.deadline - next < 0) {
					next = timeout.deadline;
					anyLeft = true;
				}
			}
			boolean laterCheckInTime = this.checkScheduled && this.checkAt - now > 0 && this.checkAt - next <= 0;
			if (anyLeft && !laterCheckInTime) {
				this.checkScheduled = true;
				this.checkAt = next;
				scheduleNext = true;
			}
			else if (!anyLeft && this.checkAt - now <= 0) {
				this.checkScheduled = false; // this was the last check scheduled
			}
		}
		if (scheduleNext) {
			scheduleCheck(next);
		}
		for (Timeout timeout : expired) {
			// each on a thread of its own: an action may wait for an interrupted
			// disposer to return
			this.actions.execute(timeout.action);
		}
	}

	/**
	 * A running timeout.
	 */
	static final class Timeout {

		private final DisposalTimeouts owner;

		private final Runnable action;

		private final long deadline;

		private Timeout(DisposalTimeouts owner, Runnable action, long deadline) {
			this.owner = owner;
			this.action = action;
			this.deadline = deadline;
		}

		/**
		 * Cancels this timeout: its action does not run, unless it has expired already.
		 * @return {@code true} if it was cancelled in time (its action will not run),
		 * {@code false} if it had expired already (or was cancelled before)
		 */
		boolean cancel() {
			return this.owner.cancel(this);
		}

	}

}
