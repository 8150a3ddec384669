package dev.disposables.spring;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedTransferQueue;
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
 * The threads the starter owns, all named {@code disposables-*}: user code (disposers, listeners) runs on them, or on
 * the caller's thread where that is documented, never on a thread of the JDK or of a library.
 *
 * <ul>
 * <li>Disposals ({@link BoundedTask}) run when fewer than {@code maxConcurrency} are running, each on a thread of its
 * own. A disposal gives its permit back when its user code returns <em>or when it is abandoned</em> (timed out):
 * a disposer stuck in code that ignores interrupts keeps its thread, but no longer counts, so it never holds up the
 * disposals queued behind it.</li>
 * <li>{@link #execute} runs the engine's own short steps (a resource finished, start its successors) without a bound,
 * so that they never queue behind slow disposals.</li>
 * <li>A single timer thread only ever hands work to the above: a timeout never runs user code on it.</li>
 * </ul>
 * Threads are virtual on JDK 21+ and daemon platform threads before that: a disposer that never returns must not
 * keep the JVM alive. Platform threads are slow to start (about 0.7 ms each on a small VM), and a shutdown of a
 * hundred independent sync disposals needs a hundred at once: {@link PlatformWorkers} starts them from the threads
 * it has already started (never one by one on the thread that dispatches the disposals), and
 * {@link #prestart(int)} starts them as soon as the context starts closing, sized from the live sync resources. {@link #close()} lets queued disposals still run (nothing is dropped), then lets the threads
 * end; a disposal submitted after that runs on the caller's thread.
 */
final class DisposalExecutors implements AutoCloseable {

	private static final ThreadLocal<Boolean> ownedThread = new ThreadLocal<>();

	private final int maxConcurrency;

	private final Executor threads;

	private final @Nullable PlatformWorkers platformWorkers;

	private final ScheduledThreadPoolExecutor timer;

	private final ArrayDeque<BoundedTask> waiting = new ArrayDeque<>(); // guarded by this

	private int running; // guarded by this

	private boolean closed; // guarded by this

	DisposalExecutors(int maxConcurrency) {
		this.maxConcurrency = maxConcurrency;
		// No queue: every task gets a thread at once (bounded tasks are admitted by the permits above, the engine's
		// own steps are short). Idle threads end after a few seconds.
		ThreadFactory virtual = virtualThreadFactory("disposables-dispose-");
		if (virtual != null) {
			this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS, new SynchronousQueue<>(),
					owned(virtual), DisposalExecutors::runInCaller);
			this.platformWorkers = null;
		}
		else {
			this.platformWorkers = new PlatformWorkers(owned(platformThreadFactory("disposables-dispose-")),
					TimeUnit.SECONDS.toNanos(5));
			this.threads = this.platformWorkers;
		}
		this.timer = new ScheduledThreadPoolExecutor(1, platformThreadFactory("disposables-timer"));
		this.timer.setRemoveOnCancelPolicy(true);
		this.timer.setKeepAliveTime(5, TimeUnit.SECONDS);
		this.timer.allowCoreThreadTimeOut(true);
		this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
	}

	/**
	 * Whether the calling thread is one of the starter's disposal threads.
	 * @return {@code true} on a {@code disposables-dispose-*} thread
	 */
	static boolean isDisposalThread() {
		return ownedThread.get() != null;
	}

	/**
	 * Runs a disposal once fewer than {@code maxConcurrency} are running; on the caller's thread once closed.
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
			task.runOnCaller(); // closed and drained: Spring destroying a bean after the registry, on its own thread
		}
	}

	private void dispatch(BoundedTask task) {
		this.threads.execute(() -> {
			try {
				task.run();
			}
			finally {
				task.releasePermit();
			}
		});
	}

	/** A permit came back: start the next waiting disposal, or let the threads end once closed and drained. */
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
	 * Starts disposal threads ahead of need, in the background: called when the context starts closing, with the
	 * number of sync disposals the shutdown may run at once. Nothing to do with virtual threads.
	 * @param syncDisposals how many sync disposals may run at once (capped by {@code maxConcurrency})
	 */
	void prestart(int syncDisposals) {
		PlatformWorkers workers = this.platformWorkers;
		if (workers != null && syncDisposals > 0) {
			// One more than the disposals: the engine's own steps run beside them.
			workers.prestart(Math.min(syncDisposals, this.maxConcurrency) + 1);
		}
	}

	/**
	 * Runs one of the engine's own steps on a starter thread, without a bound; on the caller's thread once closed.
	 * @param step the step
	 */
	void execute(Runnable step) {
		this.threads.execute(step);
	}

	/** {@link #execute} as an {@link Executor}. */
	Executor steps() {
		return this::execute;
	}

	/**
	 * Runs an action on a starter thread after a delay. The timer thread itself only hands the action over.
	 * @param action the action
	 * @param nanos the delay
	 * @return the scheduled action, or {@code null} once closed (no timeout then: the caller's thread is waiting)
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
		// Graceful: a step already handed over still runs. Threads stuck in a disposer that ignores interrupts are
		// daemon (or virtual): they cannot keep the JVM alive.
		if (this.threads instanceof ThreadPoolExecutor pool) {
			pool.shutdown();
		}
		else if (this.platformWorkers != null) {
			this.platformWorkers.shutdown();
		}
		this.timer.shutdownNow();
	}

	private static void runInCaller(Runnable task, ThreadPoolExecutor executor) {
		task.run();
	}

	/** Marks the threads of a factory as the starter's own (see {@link #isDisposalThread()}). */
	private static ThreadFactory owned(ThreadFactory factory) {
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
	 * {@code Thread.ofVirtual().name(prefix, 1).factory()}, called reflectively because the code is compiled for
	 * Java 17; {@code null} before JDK 21.
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
	 * Platform threads that take tasks from one queue, without a bound, each ending after being idle for the keep-alive
	 * time; a task finds an idle thread at once, else waits in the queue for one being started. Unlike a
	 * {@link ThreadPoolExecutor} with a hand-off queue, the thread that submits never starts a thread while another is
	 * being started: each new thread starts up to two more if tasks are still waiting (or {@link #prestart} asked for
	 * more), so that a burst of a hundred tasks gets its threads from a growing number of starters in parallel, and
	 * the dispatching thread moves on at once.
	 */
	static final class PlatformWorkers implements Executor {

		private static final int FAN_OUT = 2;

		private static final Runnable STOP = () -> {
		};

		private final ThreadFactory factory;

		private final long keepAliveNanos;

		private final LinkedTransferQueue<Runnable> tasks = new LinkedTransferQueue<>();

		/** Tasks in the queue, not yet taken. */
		private final AtomicInteger queued = new AtomicInteger();

		/** Threads waiting for a task. */
		private final AtomicInteger idle = new AtomicInteger();

		/** Threads created but not yet running their loop. */
		private final AtomicInteger starting = new AtomicInteger();

		/** Threads created and not ended. */
		private final AtomicInteger alive = new AtomicInteger();

		/** How many threads {@link #prestart} asked for; only a floor for starting threads, not for keeping them. */
		private volatile int wanted;

		private volatile boolean shutdown;

		PlatformWorkers(ThreadFactory factory, long keepAliveNanos) {
			this.factory = factory;
			this.keepAliveNanos = keepAliveNanos;
		}

		@Override
		public void execute(Runnable task) {
			if (this.shutdown) {
				task.run(); // as a pool shut down with a caller-runs policy: nothing is dropped
				return;
			}
			if (this.tasks.tryTransfer(task)) {
				return; // an idle thread took it
			}
			this.queued.incrementAndGet();
			this.tasks.add(new Queued(task));
			// Read after the add: a thread that stops being idle without seeing the task is not counted here.
			if (this.idle.get() == 0 && this.starting.get() == 0) {
				startThread();
			}
		}

		void prestart(int threads) {
			this.wanted = threads;
			if (this.alive.get() < threads && this.starting.get() == 0) {
				startThread();
			}
		}

		/**
		 * Tasks already submitted still run; then every thread ends (without waiting for the keep-alive time): one
		 * stop token per thread, queued behind those tasks.
		 */
		void shutdown() {
			this.shutdown = true;
			this.wanted = 0;
			for (int i = this.alive.get(); i > 0; i--) {
				this.tasks.add(STOP);
			}
		}

		private int shortfall() {
			int forTasks = this.queued.get() - this.idle.get() - this.starting.get();
			int forPrestart = this.wanted - this.alive.get();
			return Math.max(forTasks, forPrestart);
		}

		private void startThread() {
			this.starting.incrementAndGet();
			this.alive.incrementAndGet();
			try {
				Thread thread = this.factory.newThread(this::work);
				thread.start();
			}
			catch (Throwable ex) {
				this.starting.decrementAndGet();
				this.alive.decrementAndGet();
				throw ex;
			}
		}

		private void work() {
			this.starting.decrementAndGet();
			boolean exited = false;
			try {
				// This thread takes one waiting task itself: start others only for the rest.
				for (int i = 0; i < FAN_OUT && shortfall() > 1; i++) {
					startThread();
				}
				while (true) {
					this.idle.incrementAndGet();
					Runnable task;
					try {
						task = this.tasks.poll(this.keepAliveNanos, TimeUnit.NANOSECONDS);
					}
					catch (InterruptedException ex) {
						task = null; // an interrupt left over from an abandoned disposal: keep serving
					}
					finally {
						this.idle.decrementAndGet();
					}
					if (task == STOP) {
						return; // shut down
					}
					if (task == null) {
						if (!this.tasks.isEmpty()) {
							continue;
						}
						this.alive.decrementAndGet();
						exited = true;
						if (!this.tasks.isEmpty() && this.idle.get() == 0 && this.starting.get() == 0) {
							startThread(); // a task arrived while this thread was leaving
						}
						return;
					}
					if (task instanceof Queued queuedTask) {
						this.queued.decrementAndGet(); // taken from the queue rather than handed over
						task = queuedTask.task();
					}
					run(task);
				}
			}
			finally {
				if (!exited) {
					this.alive.decrementAndGet();
				}
			}
		}

		/** A task that found no idle thread and was queued (counted in {@code queued}). */
		private record Queued(Runnable task) implements Runnable {

			@Override
			public void run() {
				this.task.run();
			}

		}

		private void run(Runnable task) {
			try {
				task.run();
			}
			catch (Throwable ex) {
				// A task's failure must not end the thread; the engine's tasks report their own failures.
				Thread thread = Thread.currentThread();
				thread.getUncaughtExceptionHandler().uncaughtException(thread, ex);
			}
			Thread.interrupted(); // an abandoned disposal may leave its interrupt behind
		}

	}

	/**
	 * A disposal run under a concurrency permit. The permit goes back when the task returns, or earlier through
	 * {@link #releasePermit()} when the task is abandoned while its thread is still stuck in user code.
	 */
	abstract static class BoundedTask implements Runnable {

		private final AtomicBoolean permitHeld = new AtomicBoolean();

		private volatile @Nullable DisposalExecutors executors;

		/** Runs on the calling thread, which is not the starter's: its interrupt flag must be left alone. */
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
