package dev.disposables.spring;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * Platform threads that are added only when work waits behind slow work: a task goes to
 * an idle thread, or queues; when, during a whole fan-out budget, work stayed queued,
 * nothing finished and a task has been running for at least that long (a disposal that
 * blocks, sleeps or waits), the pool starts threads for the queued tasks, at most four
 * per thread it has, and checks again a budget later. So a burst of fast disposals (an
 * ordinary application's shutdown: a pool, a web server, a few executors; or ten thousand
 * trivial ones) runs on one thread, one after the other as stock Spring runs them,
 * however long the queue, and pays for one thread start instead of one per disposal; slow
 * disposals still run side by side, a budget later.
 *
 * <p>
 * The growth is decided on the timer thread, never by a task: a task that blocks or spins
 * forever cannot stop the tasks queued behind it from getting threads of their own.
 * Threads added for a burst are given back once no burst has needed them for the idle
 * time.
 */
final class ElasticThreadPool implements Executor {

	/** Per budget of stall, the pool adds at most this many threads per thread it has. */
	private static final int GROWTH_FACTOR = 4;

	/** A thread between tasks. */
	private static final long IDLE = Long.MIN_VALUE;

	private final ThreadPoolExecutor pool;

	private final ScheduledExecutorService timer;

	private final int baseThreads;

	private final long budgetNanos;

	private final long idleNanos;

	/** A growth check is scheduled: the queue is watched while it holds work. */
	private final AtomicBoolean watching = new AtomicBoolean();

	/** A return to the base size is scheduled. */
	private final AtomicBoolean relaxing = new AtomicBoolean();

	private volatile long lastGrowthNanos;

	/**
	 * Since when each of the pool's threads runs its current task ({@link #IDLE} between
	 * tasks): what tells a queue behind slow work from a queue of fast work being
	 * drained.
	 */
	private final Map<Thread, AtomicLong> runningSince = new ConcurrentHashMap<>();

	/** Tasks (not steps) finished so far: the pool's progress. */
	private final AtomicLong finished = new AtomicLong();

	/** {@link #finished} when the current growth check was scheduled. */
	private volatile long finishedAtWatch;

	/**
	 * Creates a pool.
	 * @param threads creates the pool's threads
	 * @param timer where growth is decided; only hands work over, never runs a task
	 * @param baseThreads the threads kept when no burst needs more; {@code 0} for one
	 * thread started on demand that ends after the idle time
	 * @param budgetNanos how long a stall lasts before the pool fans out
	 * @param idleNanos how long an idle thread lives, and how long a grown pool keeps its
	 * size after its last growth
	 */
	ElasticThreadPool(ThreadFactory threads, ScheduledExecutorService timer, int baseThreads, long budgetNanos,
			long idleNanos) {
		this.timer = timer;
		this.baseThreads = Math.max(1, baseThreads);
		this.budgetNanos = budgetNanos;
		this.idleNanos = idleNanos;
		this.pool = new TimedThreadPool(this.baseThreads, idleNanos, timedThreads(threads));
		// Threads asked for ahead (ready threads) stay until the pool ends; the single
		// on-demand thread does not outlive a burst by more than the idle time.
		this.pool.allowCoreThreadTimeOut(baseThreads == 0);
	}

	/**
	 * Starts the threads asked for ahead, if any, now rather than on demand.
	 * @return whether threads were asked for ahead
	 */
	boolean prestart() {
		if (this.pool.allowsCoreThreadTimeOut()) {
			return false;
		}
		this.pool.prestartAllCoreThreads();
		return true;
	}

	/**
	 * Runs the task on an idle thread, or queues it; on the caller's thread once ended.
	 * @param task the task
	 */
	@Override
	public void execute(Runnable task) {
		this.pool.execute(task);
		if (!this.pool.getQueue().isEmpty()) {
			watch();
		}
	}

	/**
	 * Runs one of the engine's own steps (short, never blocking) like any task, except
	 * that its running time does not count as slow work: a step that builds a large
	 * disposal graph and hands thousands of disposals over is busy, not stuck, and the
	 * queue it fills is drained faster by the threads there are.
	 * @param step the step
	 */
	void executeStep(Runnable step) {
		execute(new Step(step));
	}

	private void watch() {
		if (this.watching.compareAndSet(false, true)) {
			this.finishedAtWatch = this.finished.get();
			schedule(this::checkWaiting, this.budgetNanos, this.watching);
		}
	}

	/**
	 * On the timer: queued work that slow work has held up for a whole budget gets
	 * threads.
	 */
	private void checkWaiting() {
		this.watching.set(false);
		int waiting = this.pool.getQueue().size();
		if (waiting > 0) {
			// Idle threads (ready ones, or one just finishing) take queued work
			// themselves: only what they cannot take gets new threads, and only when
			// slow work holds the threads: no task finished for a whole budget while one
			// has been running at least that long. A queue of fast tasks drains on the
			// threads there are (new ones would cost more to start than they save), and
			// a thread the OS merely paused does not look stuck while others progress.
			int idle = this.pool.getPoolSize() - this.pool.getActiveCount();
			if (waiting > idle && this.finished.get() == this.finishedAtWatch && runsSlowWork()) {
				// At most five times the size per budget (1, 5, 25, 125): a pause of the
				// whole JVM (a collection, the machine busy) looks like a stall too, and
				// should cost a few threads, not a hundred, while a hundred sleeping
				// disposals still all have threads three budgets on.
				grow(Math.min(waiting - idle, GROWTH_FACTOR * Math.max(1, this.pool.getPoolSize())));
			}
			watch(); // the tasks just started may block too: keep watching
		}
		else if (this.pool.getCorePoolSize() > this.baseThreads && this.relaxing.compareAndSet(false, true)) {
			schedule(this::relax, this.idleNanos, this.relaxing);
		}
	}

	/**
	 * Whether a thread of the pool has been running its current task for at least the
	 * budget.
	 * @return {@code true} if a running task has outlasted the budget
	 */
	private boolean runsSlowWork() {
		long now = System.nanoTime();
		for (AtomicLong since : this.runningSince.values()) {
			long started = since.get();
			if (started != IDLE && now - started >= this.budgetNanos) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The pool's threads, each known to the growth check while it lives.
	 * @param threads creates the threads
	 * @return a factory of threads that register their running-since slot
	 */
	private ThreadFactory timedThreads(ThreadFactory threads) {
		return (runnable) -> threads.newThread(() -> {
			Thread current = Thread.currentThread();
			this.runningSince.put(current, new AtomicLong(IDLE));
			try {
				runnable.run();
			}
			finally {
				this.runningSince.remove(current);
			}
		});
	}

	private void grow(int waiting) {
		this.lastGrowthNanos = System.nanoTime();
		// setCorePoolSize starts a thread for each queued task, up to the new size.
		int size = Math.max(this.pool.getCorePoolSize(), saturatedAdd(this.pool.getPoolSize(), waiting));
		this.pool.setCorePoolSize(size);
	}

	/**
	 * On the timer: back to the base size once no burst has needed more for the idle
	 * time; the threads above it end when next idle.
	 */
	private void relax() {
		long sinceGrowth = System.nanoTime() - this.lastGrowthNanos;
		if (sinceGrowth < this.idleNanos) {
			schedule(this::relax, this.idleNanos - sinceGrowth, null);
			return;
		}
		this.relaxing.set(false);
		this.pool.setCorePoolSize(this.baseThreads);
	}

	private void schedule(Runnable check, long nanos, @Nullable AtomicBoolean scheduled) {
		try {
			this.timer.schedule(check, nanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// The timer has ended with the pool's owner: shutdown() starts the threads
			// that whatever is still queued needs.
			if (scheduled != null) {
				scheduled.set(false);
			}
		}
	}

	/**
	 * Lets queued tasks still run, each on a thread of its own (no growth check comes any
	 * more: one of them may be stuck behind a task that never returns), then lets the
	 * threads end. A task given after this runs on the caller's thread.
	 */
	void shutdown() {
		int waiting = this.pool.getQueue().size();
		if (waiting > 0) {
			grow(waiting);
		}
		this.pool.shutdown();
	}

	/**
	 * The number of threads the pool has now, busy or idle.
	 * @return the pool's size
	 */
	int threadCount() {
		return this.pool.getPoolSize();
	}

	private static int saturatedAdd(int a, int b) {
		long sum = (long) a + b;
		return (int) Math.min(Integer.MAX_VALUE, sum);
	}

	private static void runInCaller(Runnable task, ThreadPoolExecutor executor) {
		task.run();
	}

	/** An engine step: never counted as slow work. */
	private record Step(Runnable step) implements Runnable {

		@Override
		public void run() {
			this.step.run();
		}

	}

	/** A pool that records when each of its threads started its current task. */
	private final class TimedThreadPool extends ThreadPoolExecutor {

		TimedThreadPool(int baseThreads, long idleNanos, ThreadFactory threads) {
			super(baseThreads, Integer.MAX_VALUE, idleNanos, TimeUnit.NANOSECONDS, new LinkedBlockingQueue<>(), threads,
					ElasticThreadPool::runInCaller);
		}

		@Override
		protected void beforeExecute(Thread thread, Runnable task) {
			AtomicLong since = ElasticThreadPool.this.runningSince.get(thread);
			if (since != null && !(task instanceof Step)) {
				since.set(System.nanoTime());
			}
		}

		@Override
		protected void afterExecute(Runnable task, @Nullable Throwable failure) {
			AtomicLong since = ElasticThreadPool.this.runningSince.get(Thread.currentThread());
			if (since != null) {
				since.set(IDLE);
			}
			if (!(task instanceof Step)) {
				ElasticThreadPool.this.finished.incrementAndGet();
			}
		}

	}

}
