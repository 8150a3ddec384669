package dev.disposables.spring;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * The threads the starter owns, all named {@code disposables-*}: user code (disposers,
 * listeners) runs on them, or on the caller's thread where that is documented, never on a
 * thread of the JDK or of a library.
 *
 * <ul>
 * <li>Disposals ({@link BoundedTask}) run when fewer than {@code maxConcurrency} are
 * running, each on a thread of its own. A disposal gives its permit back when its user
 * code returns <em>or when it is abandoned</em> (timed out): a disposer stuck in code
 * that ignores interrupts keeps its thread, but no longer counts, so it never holds up
 * the disposals queued behind it.</li>
 * <li>{@link #execute} runs the engine's own short steps (a resource finished, start its
 * successors) without a bound, so that they never queue behind slow disposals.</li>
 * <li>A single timer thread only ever hands work to the above: a timeout never runs user
 * code on it.</li>
 * </ul>
 * User code (a {@link BoundedTask}) always runs on a daemon platform thread: a disposer
 * that never returns must not keep the JVM alive, and one that busy-spins ignoring
 * interrupts must not take a carrier thread of the virtual-thread scheduler (two of them
 * on a two-core machine starved every other virtual thread, timeouts included, until the
 * deadline). The engine's own short steps run on virtual threads on JDK 21+ (they never
 * spin) and share the platform threads before that. Starting a platform thread is what a
 * shutdown of many sync disposals mostly pays for, so on JDK 17 to 20 up to
 * {@code readyThreads} of them can be started ahead and kept idle until the shutdown (see
 * {@link #startReadyThreads()}). {@link #close()} lets queued disposals still run
 * (nothing is dropped), then lets the threads end; a disposal submitted after that runs
 * on the caller's thread.
 */
final class DisposalExecutors implements AutoCloseable {

	private static final ThreadLocal<Boolean> ownedThread = new ThreadLocal<>();

	private final int maxConcurrency;

	private final ThreadPoolExecutor threads;

	/** Where user code runs: always platform threads ({@link #threads} before JDK 21). */
	private final ThreadPoolExecutor userCodeThreads;

	private final ScheduledThreadPoolExecutor timer;

	private final ArrayDeque<BoundedTask> waiting = new ArrayDeque<>(); // guarded by this

	private int running; // guarded by this

	private boolean closed; // guarded by this

	DisposalExecutors(int maxConcurrency, int readyThreads) {
		this.maxConcurrency = maxConcurrency;
		ThreadFactory virtualThreads = virtualThreadFactory("disposables-dispose-");
		// No queue: every task gets a thread at once (bounded tasks are admitted by the
		// permits above, the engine's own steps are short). Idle threads end after a few
		// seconds, but for the ready ones (the core of the pool), started on demand.
		int core = (virtualThreads != null) ? 0 : Math.min(readyThreads, maxConcurrency);
		this.threads = new ThreadPoolExecutor(core, Integer.MAX_VALUE, 5, TimeUnit.SECONDS, new SynchronousQueue<>(),
				ownedThreads((virtualThreads != null) ? virtualThreads : platformThreadFactory("disposables-dispose-")),
				DisposalExecutors::runInCaller);
		this.userCodeThreads = (virtualThreads != null)
				? new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS, new SynchronousQueue<>(),
						ownedThreads(platformThreadFactory("disposables-dispose-")), DisposalExecutors::runInCaller)
				: this.threads;
		this.timer = new ScheduledThreadPoolExecutor(1, platformThreadFactory("disposables-timer"));
		this.timer.setRemoveOnCancelPolicy(true);
		this.timer.setKeepAliveTime(5, TimeUnit.SECONDS);
		this.timer.allowCoreThreadTimeOut(true);
		this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
	}

	/**
	 * Starts the ready threads, if any and not started yet, so that the next disposals
	 * find them idle rather than waiting for a platform thread to start. They end when
	 * this is closed.
	 */
	void startReadyThreads() {
		synchronized (this) {
			if (this.closed) {
				return;
			}
		}
		this.threads.prestartAllCoreThreads();
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
			task.runOnCaller(); // closed and drained: Spring destroying a bean after the
								// registry, on its own thread
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
		this.threads.execute(step);
	}

	/**
	 * {@link #execute} as an {@link Executor}.
	 * @return an executor that runs tasks with {@link #execute}
	 */
	Executor steps() {
		return this::execute;
	}

	/**
	 * Runs an action on a starter thread after a delay. The timer thread itself only
	 * hands the action over.
	 * @param action the action
	 * @param nanos the delay
	 * @return the scheduled action, or {@code null} once closed (no timeout then: the
	 * caller's thread is waiting)
	 */
	@Nullable ScheduledFuture<?> schedule(Runnable action, long nanos) {
		try {
			return this.timer.schedule(() -> execute(action), nanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			return null;
		}
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
		// that ignores interrupts are
		// daemon (or virtual): they cannot keep the JVM alive.
		this.threads.shutdown();
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
	 * {@code Thread.ofVirtual().name(prefix, 1).factory()}, called reflectively because
	 * the code is compiled for Java 17; {@code null} before JDK 21.
	 * @param prefix the prefix of the thread names
	 * @return a factory of virtual threads, or {@code null} before JDK 21
	 */
	private static @Nullable ThreadFactory virtualThreadFactory(String prefix) {
		try {
			Class<?> builderType = Class.forName("java.lang.Thread$Builder");
			Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
			builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix, 1L);
			return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
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
