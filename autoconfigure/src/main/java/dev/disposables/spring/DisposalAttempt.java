package dev.disposables.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One run of one resource's disposal: where its user code runs, its per-resource timeout,
 * and how it is abandoned.
 *
 * <ul>
 * <li>It runs on a disposal thread (or, where documented, on the caller's thread). The
 * per-resource timeout starts when it starts running, not when it is queued, and covers
 * everything: a sync {@code close()}, a {@code disposeAsync()} that blocks before
 * returning its stage, and the stage itself.</li>
 * <li>It finishes once: the first of its outcome and its abandonment (timeout, deadline)
 * wins; a late outcome is ignored.</li>
 * <li>Abandoned, it interrupts its own disposal thread if user code is still running
 * there (never the caller's thread), gives its concurrency permit back, and cancels what
 * it subscribed to (a publisher, a {@code Future}).</li>
 * <li>Its result is handed to the registry on a starter thread: never on the thread of a
 * user's stage, of the timer, or of the JDK.</li>
 * </ul>
 */
final class DisposalAttempt extends DisposalExecutors.BoundedTask {

	private static final Log logger = LogFactory.getLog(DisposalAttempt.class);

	private final DisposableRegistry registry;

	private final DisposalExecutors executors;

	private final ManagedResource resource;

	private final Object instance;

	private final DisposalPlan plan;

	private final long timeoutNanos;

	private final AtomicBoolean finished = new AtomicBoolean();

	private final List<Runnable> cancellers = new ArrayList<>(0); // guarded by this

	private @Nullable Thread userCodeThread; // guarded by this

	private boolean abandoned; // guarded by this

	private DisposalTimeouts.@Nullable Timeout timeout; // guarded by this

	private volatile @Nullable Thread callerThread;

	private volatile long startNanos;

	/**
	 * Whether the disposal is skipped when the instance reports it is closed already (a
	 * prototype disposed at shutdown: Spring itself never destroys it).
	 */
	private volatile boolean unlessReportedClosed;

	DisposalAttempt(DisposableRegistry registry, DisposalExecutors executors, ManagedResource resource, Object instance,
			DisposalPlan plan, long timeoutNanos) {
		this.registry = registry;
		this.executors = executors;
		this.resource = resource;
		this.instance = instance;
		this.plan = plan;
		this.timeoutNanos = timeoutNanos;
		this.startNanos = System.nanoTime();
	}

	/**
	 * Skip the disposal if the instance reports that its user closed it already.
	 */
	void unlessReportedClosed() {
		this.unlessReportedClosed = true;
	}

	/**
	 * Runs on the calling thread: a scope closed by its caller. Sync callbacks are not
	 * timed (the caller is the one waiting, as with Spring); an async stage is.
	 */
	@Override
	void runOnCaller() {
		this.callerThread = Thread.currentThread();
		try {
			run();
		}
		finally {
			this.callerThread = null;
		}
	}

	@Override
	public void run() {
		Thread current = Thread.currentThread();
		boolean onCaller = this.callerThread == current;
		synchronized (this) {
			if (this.abandoned) {
				return; // abandoned at the deadline before it started
			}
			this.startNanos = System.nanoTime();
			if (!onCaller) {
				this.userCodeThread = current;
				this.timeout = this.executors.startTimeout(this::onTimeout, this.timeoutNanos);
			}
		}
		boolean callerWasInterrupted = onCaller && current.isInterrupted();
		// listeners never throw (the registry isolates them)
		this.registry.disposalStarted(this.resource);
		try {
			if (this.unlessReportedClosed && ReportedClosedState.isClosed(this.instance)) {
				// Closed by its user already, by a path the starter does not see.
				leaveUserCode();
				complete(null);
				return;
			}
			DisposalPlan plan = this.plan;
			if (plan.mode() == DisposalMode.SYNC) {
				plan.disposeSync(this.instance);
				leaveUserCode();
				complete(null);
			}
			else {
				CompletionStage<Void> stage = plan.dispose(this.instance, this.executors.steps(), this::addCanceller,
						Duration.ofNanos(this.timeoutNanos));
				leaveUserCode();
				if (onCaller) {
					scheduleTimeout();
				}
				stage.whenComplete((ignored, failure) -> complete(failure));
			}
		}
		catch (Throwable ex) {
			leaveUserCode();
			complete(ex);
		}
		finally {
			if (onCaller) {
				// The caller's thread is not ours: its interrupt flag is left as the
				// caller (and its code) set it.
				if (callerWasInterrupted && !current.isInterrupted()) {
					current.interrupt();
				}
			}
			else {
				// an interrupt meant for the abandoned disposal must not hit the next
				// task
				Thread.interrupted();
			}
		}
	}

	private synchronized void scheduleTimeout() {
		if (!this.abandoned && !this.finished.get()) {
			long left = this.timeoutNanos - (System.nanoTime() - this.startNanos);
			this.timeout = this.executors.startTimeout(this::onTimeout, Math.max(0, left));
		}
	}

	/**
	 * User code has returned (or thrown): from now on an abandonment interrupts nobody.
	 */
	private synchronized void leaveUserCode() {
		this.userCodeThread = null;
		notifyAll();
	}

	private synchronized void addCanceller(Runnable canceller) {
		if (this.abandoned) {
			this.executors.execute(() -> runQuietly(canceller));
		}
		else {
			this.cancellers.add(canceller);
		}
	}

	private void complete(@Nullable Throwable failure) {
		if (!this.finished.compareAndSet(false, true)) {
			return; // abandoned already: a late outcome changes nothing
		}
		synchronized (this) {
			if (this.timeout != null) {
				this.timeout.cancel();
			}
		}
		long nanos = System.nanoTime() - this.startNanos;
		Thread current = Thread.currentThread();
		if (current == this.callerThread || DisposalExecutors.isDisposalThread()) {
			this.registry.attemptFinished(this.resource, nanos, failure);
		}
		else {
			// The thread of a user's stage (an event loop, a common pool): the registry's
			// continuations (listeners, the next disposals) must not run there.
			this.executors.execute(() -> this.registry.attemptFinished(this.resource, nanos, failure));
		}
	}

	/**
	 * When this attempt started running ({@link System#nanoTime()}); until then, when it
	 * was created.
	 * @return the start of this attempt, in {@link System#nanoTime()} units
	 */
	long startNanos() {
		return this.startNanos;
	}

	/** Runs on a starter thread (the timer hands it over). */
	private void onTimeout() {
		if (abandon()) {
			this.registry.attemptTimedOut(this.resource, System.nanoTime() - this.startNanos, stuckThreadName());
		}
	}

	/**
	 * Gives up on this attempt: interrupts user code still running on a disposal thread,
	 * frees the concurrency permit, cancels subscriptions.
	 * @return {@code true} if this call abandoned it, {@code false} if it had finished
	 * already
	 */
	boolean abandon() {
		if (!this.finished.compareAndSet(false, true)) {
			return false;
		}
		List<Runnable> toCancel;
		synchronized (this) {
			this.abandoned = true;
			if (this.timeout != null) {
				this.timeout.cancel();
			}
			if (this.userCodeThread != null) {
				this.userCodeThread.interrupt();
			}
			toCancel = new ArrayList<>(this.cancellers);
			this.cancellers.clear();
		}
		releasePermit();
		if (!toCancel.isEmpty()) {
			// A subscription's cancel() is the publisher's code: on a starter thread, not
			// on the closing thread.
			this.executors.execute(() -> toCancel.forEach(DisposalAttempt::runQuietly));
		}
		return true;
	}

	/**
	 * The name of the disposal thread still running this attempt's user code, if any;
	 * waits briefly for an interrupted disposer to return so that only a disposer that
	 * ignores interrupts is named.
	 * @return the name of the stuck disposal thread, or {@code null}
	 */
	synchronized @Nullable String stuckThreadName() {
		long until = System.nanoTime() + 50_000_000L;
		try {
			while (this.userCodeThread != null && System.nanoTime() < until) {
				wait(10);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Thread stuck = this.userCodeThread;
		return (stuck != null) ? stuck.getName() : null;
	}

	/**
	 * The name of the disposal thread running this attempt's user code now, if any.
	 * @return the name of the disposal thread, or {@code null}
	 */
	synchronized @Nullable String stuckThreadNameNow() {
		Thread stuck = this.userCodeThread;
		return (stuck != null) ? stuck.getName() : null;
	}

	/**
	 * Whether user code of this attempt still runs on a disposal thread after it was
	 * abandoned.
	 * @return whether user code of this attempt is stuck on a disposal thread
	 */
	synchronized boolean isStuck() {
		return this.abandoned && this.userCodeThread != null;
	}

	private static void runQuietly(Runnable canceller) {
		try {
			canceller.run();
		}
		catch (Throwable ex) {
			logger.debug("Cancelling an abandoned disposal failed", ex);
		}
	}

}
