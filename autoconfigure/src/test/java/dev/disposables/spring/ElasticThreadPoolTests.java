package dev.disposables.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link ElasticThreadPool}: fast work stays on one thread however long its queue, work
 * that waits gets threads of its own, an engine step is never taken for stuck work, a
 * task that never returns holds nothing back, and nothing queued is ever stranded.
 */
class ElasticThreadPoolTests {

	private static final long NEVER_NANOS = TimeUnit.HOURS.toNanos(1);

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

	private final Set<Thread> started = ConcurrentHashMap.newKeySet();

	private final ThreadFactory threads = (runnable) -> {
		Thread thread = new Thread(runnable, "elastic-test");
		thread.setDaemon(true);
		this.started.add(thread);
		return thread;
	};

	/** Released at the end of each test: what a test left blocked ends. */
	private final CountDownLatch endOfTest = new CountDownLatch(1);

	@AfterEach
	void end() {
		this.endOfTest.countDown();
		this.timer.shutdownNow();
	}

	@Test
	void aBurstOfFastTasksRunsOnOneThread() {
		// A budget no fast task comes near: the one thread drains the queue first.
		ElasticThreadPool pool = new ElasticThreadPool(this.threads, this.timer, 0, TimeUnit.SECONDS.toNanos(5),
				TimeUnit.SECONDS.toNanos(5));
		Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
		CountDownLatch done = new CountDownLatch(200);
		for (int i = 0; i < 200; i++) {
			pool.execute(() -> {
				ranOn.add(Thread.currentThread());
				done.countDown();
			});
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> done.getCount() == 0);
		assertThat(ranOn).hasSize(1);
		assertThat(this.started).hasSize(1);
	}

	@Test
	void aLongQueueOfFastTasksDrainsOnTheThreadsThereAre() {
		// A budget the queue outlasts many times over: it is not the wait that adds
		// threads, but work that holds them. (Each growth at most multiplies the pool by
		// five, so a thread the machine pauses now and then costs a few threads, never
		// thousands.)
		ElasticThreadPool pool = new ElasticThreadPool(this.threads, this.timer, 0, TimeUnit.MILLISECONDS.toNanos(2),
				TimeUnit.SECONDS.toNanos(5));
		int tasks = 20_000;
		CountDownLatch done = new CountDownLatch(tasks);
		for (int i = 0; i < tasks; i++) {
			pool.execute(() -> {
				Math.sqrt(System.nanoTime()); // a trivial close()
				done.countDown();
			});
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> done.getCount() == 0);
		assertThat(this.started).as("threads started for %d fast tasks", tasks).hasSizeLessThanOrEqualTo(30);
	}

	@Test
	void anEngineStepThatRunsLongIsNotSlowWork() {
		ElasticThreadPool pool = new ElasticThreadPool(this.threads, this.timer, 0, TimeUnit.MILLISECONDS.toNanos(2),
				TimeUnit.SECONDS.toNanos(5));
		CountDownLatch stepMayEnd = new CountDownLatch(1);
		CountDownLatch queued = new CountDownLatch(100);
		pool.executeStep(() -> awaitQuietly(stepMayEnd));
		for (int i = 0; i < 100; i++) {
			pool.execute(queued::countDown);
		}
		// Many budgets pass with the queue full behind the step: the step is busy
		// handing work over, not stuck in user code, so no thread is added for it.
		await().during(Duration.ofMillis(50)).atMost(Duration.ofSeconds(10)).until(() -> queued.getCount() == 100);
		stepMayEnd.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> queued.getCount() == 0);
		assertThat(this.started).hasSize(1);
	}

	@Test
	void tasksThatWaitForEachOtherGetThreadsOfTheirOwn() {
		ElasticThreadPool pool = new ElasticThreadPool(this.threads, this.timer, 0, TimeUnit.MILLISECONDS.toNanos(2),
				TimeUnit.SECONDS.toNanos(5));
		int tasks = 16;
		CountDownLatch allRunning = new CountDownLatch(tasks);
		CountDownLatch done = new CountDownLatch(tasks);
		for (int i = 0; i < tasks; i++) {
			pool.execute(() -> {
				allRunning.countDown();
				if (awaitQuietly(allRunning)) {
					done.countDown();
				}
			});
		}
		// On one thread the first task would wait for the others forever.
		await().atMost(Duration.ofSeconds(10)).until(() -> done.getCount() == 0);
		assertThat(this.started).hasSizeGreaterThanOrEqualTo(tasks);
	}

	@Test
	void aTaskThatNeverReturnsAndIgnoresInterruptsHoldsNothingBack() {
		ElasticThreadPool pool = new ElasticThreadPool(this.threads, this.timer, 0, TimeUnit.MILLISECONDS.toNanos(2),
				TimeUnit.SECONDS.toNanos(5));
		pool.execute(this::blockUntilTheEndIgnoringInterrupts);
		AtomicInteger ran = new AtomicInteger();
		for (int i = 0; i < 20; i++) {
			pool.execute(ran::incrementAndGet);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 20);
	}

	@Test
	void shutdownStillRunsWhatQueuedBehindATaskThatNeverReturns() {
		// No growth check would come in time: only shutdown() can start the threads.
		ElasticThreadPool pool = new ElasticThreadPool(this.threads, this.timer, 0, NEVER_NANOS, NEVER_NANOS);
		CountDownLatch blocking = new CountDownLatch(1);
		pool.execute(() -> {
			blocking.countDown();
			blockUntilTheEndIgnoringInterrupts();
		});
		awaitQuietly(blocking);
		AtomicInteger ran = new AtomicInteger();
		for (int i = 0; i < 3; i++) {
			pool.execute(ran::incrementAndGet);
		}
		assertThat(ran).hasValue(0);
		pool.shutdown();
		await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 3);
		Thread caller = Thread.currentThread();
		List<Thread> after = new ArrayList<>();
		pool.execute(() -> after.add(Thread.currentThread()));
		assertThat(after).as("after shutdown, on the caller's thread").containsExactly(caller);
	}

	@Test
	void threadsAddedForABurstAreGivenBackOnceIdle() {
		ElasticThreadPool pool = new ElasticThreadPool(this.threads, this.timer, 2, TimeUnit.MILLISECONDS.toNanos(2),
				TimeUnit.MILLISECONDS.toNanos(200));
		pool.prestart();
		assertThat(pool.threadCount()).as("the ready threads").isEqualTo(2);
		int tasks = 8;
		CountDownLatch allRunning = new CountDownLatch(tasks);
		for (int i = 0; i < tasks; i++) {
			pool.execute(() -> {
				allRunning.countDown();
				awaitQuietly(allRunning);
			});
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> allRunning.getCount() == 0);
		assertThat(pool.threadCount()).isGreaterThanOrEqualTo(tasks);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(pool.threadCount()).as("back to the ready threads").isEqualTo(2));
	}

	/**
	 * Random mixes of instant tasks, short sleeps and tasks that wait for a task given
	 * after them (which one thread could never run): every task runs.
	 * @param kinds what each task does
	 */
	@Property(tries = 25)
	void everyTaskRunsWhateverItWaitsFor(@ForAll("kinds") List<Integer> kinds) {
		ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
		ElasticThreadPool pool = new ElasticThreadPool(this.threads, timer, 0, TimeUnit.MILLISECONDS.toNanos(2),
				TimeUnit.SECONDS.toNanos(5));
		try {
			CountDownLatch done = new CountDownLatch(kinds.size());
			List<CountDownLatch> given = new ArrayList<>();
			for (int i = 0; i < kinds.size(); i++) {
				given.add(new CountDownLatch(1));
			}
			for (int i = 0; i < kinds.size(); i++) {
				int index = i;
				int kind = kinds.get(i);
				pool.execute(() -> {
					given.get(index).countDown();
					if (kind == 1) {
						sleepQuietly(1);
					}
					else if (kind == 2 && index + 1 < kinds.size()) {
						awaitQuietly(given.get(index + 1)); // the next task must have
															// started
					}
					done.countDown();
				});
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> done.getCount() == 0);
		}
		finally {
			pool.shutdown();
			timer.shutdownNow();
		}
	}

	@Provide
	Arbitrary<List<Integer>> kinds() {
		return Arbitraries.integers().between(0, 2).list().ofMinSize(1).ofMaxSize(60);
	}

	private void blockUntilTheEndIgnoringInterrupts() {
		while (!awaitQuietly(this.endOfTest)) {
			// interrupted: ignored, as a hostile disposer would
		}
	}

	private static boolean awaitQuietly(CountDownLatch latch) {
		try {
			return latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			return false;
		}
	}

	private static void sleepQuietly(long millis) {
		try {
			Thread.sleep(millis); // the simulated work of the task
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
