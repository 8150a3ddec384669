package dev.disposables.spring;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * The threads the starter owns, all named {@code disposables-*}: user code (disposers,
 * listeners) runs on them, or on the caller's thread where that is documented, never on a
 * thread of the JDK or of a library.
 *
 * <ul>
 * <li>Disposals ({@link BoundedTask}) run when fewer than {@code maxConcurrency} are
 * running, on a thread of their own once slow work holds the threads (see
 * {@link ElasticThreadPool}). A disposal gives its permit back when its user code returns
 * <em>or when it is abandoned</em> (timed out): a disposer stuck in code that ignores
 * interrupts keeps its thread, but no longer counts, so it never holds up the disposals
 * queued behind it.</li>
 * <li>{@link #execute} runs the engine's own short steps (a resource finished, start its
 * successors) without a bound: on JDK 21+ a virtual thread each, before that on the
 * platform threads, where they are never taken for slow work.</li>
 * <li>A single timer thread only ever hands work to the above: a timeout never runs user
 * code on it.</li>
 * </ul>
 * User code (a {@link BoundedTask}) always runs on a daemon platform thread: a disposer
 * that never returns must not keep the JVM alive, and one that busy-spins ignoring
 * interrupts must not take a carrier thread of the virtual-thread scheduler (two of them
 * on a two-core machine starved every other virtual thread, timeouts included, until the
 * deadline). Those threads are an {@link ElasticThreadPool}: a disposal takes an idle
 * thread or queues, and threads are added only when queued work waits behind a disposal
 * that has run for the fan-out budget (2 ms) with nothing finishing. Starting platform
 * threads was most of what a shutdown of fast disposals cost; now such a shutdown runs
 * them on one thread, and slow disposals still run side by side. The engine's own short
 * steps run on virtual threads on JDK 21+ (they never spin) and share the platform
 * threads before that. Up to {@code readyThreads} threads (one by default) are started
 * ahead and kept idle until the shutdown (see {@link #startReadyThreads()}): starting a
 * thread at the shutdown cost more than all of an ordinary application's disposals.
 * {@link #close()} lets queued disposals still run (nothing is dropped), then lets the
 * threads end; a disposal submitted after that runs on the caller's thread.
 */
final class DisposalExecutors implements AutoCloseable {

	/** How the names of the starter's threads start. */
	static final String THREAD_PREFIX = "disposables-";

	private static final ThreadLocal<Boolean> ownedThread = new ThreadLocal<>();

	private final int maxConcurrency;

	/**
	 * How long a disposal runs, with nothing finishing while work is queued, before the
	 * user-code threads fan out: far longer than a fast disposal, short enough that a
	 * slow one holds the others back by little next to its own duration.
	 */
	private static final long FAN_OUT_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	/** How long an idle thread lives. */
	private static final long IDLE_SECONDS = 5;

	/** Where user code runs: always platform threads. */
	private final ElasticThreadPool userCodeThreads;

	/** Where the engine's own steps run ({@link #userCodeThreads} before JDK 21). */
	private final Executor steps;

	private final ScheduledThreadPoolExecutor timer;

	/** The running disposals' timeouts, watched by one check on the timer. */
	private final DisposalTimeouts timeouts;

	private final ArrayDeque<BoundedTask> waiting = new ArrayDeque<>(); // guarded by this

	private int running; // guarded by this

	private boolean closed; // guarded by this

	DisposalExecutors(int maxConcurrency, int readyThreads) {
		this(maxConcurrency, readyThreads, THREAD_PREFIX);
	}

	/**
	 * Creates the executors.
	 * @param maxConcurrency how many disposals may run at once
	 * @param readyThreads how many disposal threads {@link #startReadyThreads()} starts
	 * @param threadPrefix how the names of the threads start ({@value #THREAD_PREFIX},
	 * except for the shutdown rehearsal's)
	 */
	DisposalExecutors(int maxConcurrency, int readyThreads, String threadPrefix) {
		this.maxConcurrency = maxConcurrency;
		this.timer = new ScheduledThreadPoolExecutor(1, platformThreadFactory(threadPrefix + "timer"));
		this.timer.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
		this.timer.allowCoreThreadTimeOut(true);
		this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		this.timeouts = new DisposalTimeouts(this.timer, this::execute);
		// User code: platform threads added only when work waits behind slow work (one
		// thread for a burst of fast disposals), up to a thread per disposal the permits
		// admit. The ready ones are started with the application: a platform thread
		// costs as much to start on JDK 21+ as before.
		ThreadFactory virtualThreads = virtualThreadFactory(threadPrefix + "dispose-");
		int ready = Math.min(readyThreads, maxConcurrency);
		this.userCodeThreads = new ElasticThreadPool(ownedThreads(platformThreadFactory(threadPrefix + "dispose-")),
				this.timer, ready, FAN_OUT_BUDGET_NANOS, TimeUnit.SECONDS.toNanos(IDLE_SECONDS));
		// The engine's own steps are short and never block: on JDK 21+ a virtual thread
		// each (no queue, idle ones end after a few seconds), before that the same
		// platform threads as user code.
		this.steps = (virtualThreads != null)
				? new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(),
						ownedThreads(virtualThreads), DisposalExecutors::runInCaller)
				: this.userCodeThreads::executeStep;
	}

	/**
	 * Starts the ready threads, if any and not started yet, so that the next disposals
	 * find them idle rather than waiting for a platform thread to start; with them, the
	 * timer's thread. They end when this is closed.
	 */
	void startReadyThreads() {
		synchronized (this) {
			if (this.closed) {
				return;
			}
		}
		if (this.userCodeThreads.prestart()) {
			// The first disposal arms its timeout: the timer's thread is ready too.
			this.timer.allowCoreThreadTimeOut(false);
			this.timer.prestartCoreThread();
		}
	}

	/**
	 * Whether the calling thread is one of the starter's disposal threads.
	 * @return {@code true} on a {@code disposables-dispose-*} thread
	 */
	static boolean isDisposalThread() {
		return ownedThread.get() != null;
	}

	/**
	 * Runs a disposal once fewer than {@code maxConcurrency} are running; on the caller's
	 * thread once closed.
	 * @param task the disposal
	 */
	void submit(BoundedTask task) {
		synchronized (this) {
			if (!this.closed || this.running > 0 || !this.waiting.isEmpty()) {
				if (this.running >= this.maxConcurrency) {
					this.waiting.add(task);
					return;
				}
				this.running++;
				task.permitHeld.set(true);
				task.executors = this;
			}
		}
		if (task.executors == this) {
			dispatch(task);
		}
		else {
			// closed and drained: Spring destroying a bean after the registry, on its own
			// thread
			task.runOnCaller();
		}
	}

	private void dispatch(BoundedTask task) {
		this.userCodeThreads.execute(() -> {
			try {
				task.run();
			}
			finally {
				task.releasePermit();
			}
		});
	}

	/**
	 * A permit came back: start the next waiting disposal, or let the threads end once
	 * closed and drained.
	 */
	private void released() {
		BoundedTask next;
		boolean terminate = false;
		synchronized (this) {
			next = this.waiting.poll();
			if (next != null) {
				next.permitHeld.set(true);
				next.executors = this;
			}
			else {
				this.running--;
				terminate = this.closed && this.running == 0;
			}
		}
		if (next != null) {
			dispatch(next);
		}
		else if (terminate) {
			terminate();
		}
	}

	/**
	 * Runs one of the engine's own steps on a starter thread, without a bound; on the
	 * caller's thread once closed.
	 * @param step the step
	 */
	void execute(Runnable step) {
		this.steps.execute(step);
	}

	/**
	 * {@link #execute} as an {@link Executor}.
	 * @return an executor that runs tasks with {@link #execute}
	 */
	Executor steps() {
		return this::execute;
	}

	/**
	 * Starts a per-resource timeout: its action runs on a starter thread once it expires,
	 * unless it is cancelled before. The timer thread itself only hands the action over.
	 * @param action the action
	 * @param nanos the timeout
	 * @return the timeout, or {@code null} once closed (no timeout then: the caller's
	 * thread is waiting)
	 */
	DisposalTimeouts.@Nullable Timeout startTimeout(Runnable action, long nanos) {
		return this.timeouts.start(action, nanos);
	}

	@Override
	public void close() {
		boolean terminate;
		synchronized (this) {
			this.closed = true;
			terminate = this.running == 0;
		}
		if (terminate) {
			terminate();
		}
	}

	private void terminate() {
		// Graceful: a step already handed over still runs. Threads stuck in a disposer
		// that ignores interrupts are daemon (or virtual): they cannot keep the JVM
		// alive.
		if (this.steps instanceof ThreadPoolExecutor virtualThreads) {
			virtualThreads.shutdown();
		}
		this.userCodeThreads.shutdown();
		this.timer.shutdownNow();
	}

	private static void runInCaller(Runnable task, ThreadPoolExecutor executor) {
		task.run();
	}

	private static ThreadFactory ownedThreads(ThreadFactory factory) {
		return (runnable) -> factory.newThread(() -> {
			ownedThread.set(Boolean.TRUE);
			runnable.run();
		});
	}

	private static ThreadFactory platformThreadFactory(String prefix) {
		AtomicInteger counter = new AtomicInteger();
		boolean numbered = prefix.endsWith("-");
		return (runnable) -> {
			Thread thread = new Thread(runnable, numbered ? prefix + counter.incrementAndGet() : prefix);
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * A factory of virtual threads from Spring's {@link VirtualThreadTaskExecutor}, which
	 * comes as a multi-release class: on JDK 17 to 20 it throws
	 * {@link UnsupportedOperationException}, and the engine's steps share the platform
	 * threads.
	 * @param prefix the prefix of the thread names
	 * @return a factory of virtual threads, or {@code null} before JDK 21
	 */
	private static @Nullable ThreadFactory virtualThreadFactory(String prefix) {
		try {
			return new VirtualThreadTaskExecutor(prefix).getVirtualThreadFactory();
		}
		catch (UnsupportedOperationException ex) {
			return null;
		}
	}

	/**
	 * A disposal run under a concurrency permit. The permit goes back when the task
	 * returns, or earlier through {@link #releasePermit()} when the task is abandoned
	 * while its thread is still stuck in user code.
	 */
	abstract static class BoundedTask implements Runnable {

		private final AtomicBoolean permitHeld = new AtomicBoolean();

		private volatile @Nullable DisposalExecutors executors;

		/**
		 * Runs on the calling thread, which is not the starter's: its interrupt flag must
		 * be left alone.
		 */
		abstract void runOnCaller();

		/** Gives the permit back, once; the next waiting disposal starts. */
		final void releasePermit() {
			DisposalExecutors owner = this.executors;
			if (owner != null && this.permitHeld.compareAndSet(true, false)) {
				owner.released();
			}
		}

	}

}
