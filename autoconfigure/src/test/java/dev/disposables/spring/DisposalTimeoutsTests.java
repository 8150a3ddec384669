package dev.disposables.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link DisposalTimeouts}: an expired timeout's action runs once, never before its
 * deadline; a cancelled one never runs; a burst of timeouts with one duration keeps one
 * check on the timer, not a task each; a timeout started after the timer has ended is
 * none.
 */
class DisposalTimeoutsTests {

	private static final Duration PATIENCE = Duration.ofSeconds(10);

	private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

	@AfterEach
	void endTimer() {
		this.timer.shutdownNow();
	}

	@Test
	void anExpiredTimeoutIsHandedToTheExecutorOnceNotBeforeItsDeadline() {
		List<Thread> ranOn = new ArrayList<>();
		List<Long> ranAfterNanos = new ArrayList<>();
		DisposalTimeouts timeouts = new DisposalTimeouts(this.timer, (action) -> {
			synchronized (ranOn) {
				ranOn.add(Thread.currentThread());
			}
			action.run();
		});
		long start = System.nanoTime();
		assertThat(timeouts.start(() -> {
			synchronized (ranAfterNanos) {
				ranAfterNanos.add(System.nanoTime() - start);
			}
		}, TimeUnit.MILLISECONDS.toNanos(20))).isNotNull();
		await().atMost(PATIENCE).untilAsserted(() -> {
			synchronized (ranAfterNanos) {
				assertThat(ranAfterNanos).hasSize(1);
			}
		});
		assertThat(ranAfterNanos.get(0)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
		assertThat(ranOn).as("handed over to the executor, once").hasSize(1);
		assertThat(timeouts.pendingCount()).isZero();
	}

	@Test
	void aBurstOfTimeoutsKeepsOneCheckOnTheTimerAndCancelledOnesNeverRun() {
		AtomicInteger ran = new AtomicInteger();
		DisposalTimeouts timeouts = new DisposalTimeouts(this.timer, Runnable::run);
		for (int i = 0; i < 1_000; i++) {
			DisposalTimeouts.Timeout timeout = timeouts.start(ran::incrementAndGet, TimeUnit.SECONDS.toNanos(30));
			assertThat(timeout).isNotNull();
			assertThat(timeout.cancel()).as("cancelled in time").isTrue();
		}
		assertThat(this.timer.getQueue()).as("one check, not a task per timeout").hasSize(1);
		assertThat(timeouts.pendingCount()).isZero();
		assertThat(ran).hasValue(0);
	}

	@Test
	void aCancelAfterTheTimeoutRanSaysItCameTooLate() {
		AtomicInteger ran = new AtomicInteger();
		DisposalTimeouts timeouts = new DisposalTimeouts(this.timer, Runnable::run);
		DisposalTimeouts.Timeout timeout = timeouts.start(ran::incrementAndGet, TimeUnit.MILLISECONDS.toNanos(1));
		assertThat(timeout).isNotNull();
		await().atMost(PATIENCE).until(() -> ran.get() == 1);
		assertThat(timeout.cancel()).isFalse();
		assertThat(ran).hasValue(1);
	}

	@Test
	void anEarlierDeadlineAfterALaterOneStillExpiresInTime() {
		Map<String, Long> ranAfterNanos = new ConcurrentHashMap<>();
		DisposalTimeouts timeouts = new DisposalTimeouts(this.timer, Runnable::run);
		long start = System.nanoTime();
		timeouts.start(() -> ranAfterNanos.put("late", System.nanoTime() - start), TimeUnit.SECONDS.toNanos(60));
		timeouts.start(() -> ranAfterNanos.put("early", System.nanoTime() - start), TimeUnit.MILLISECONDS.toNanos(10));
		await().atMost(PATIENCE).until(() -> ranAfterNanos.containsKey("early"));
		assertThat(ranAfterNanos).doesNotContainKey("late");
		assertThat(timeouts.pendingCount()).isOne();
	}

	@Test
	void aTimeoutStartedAfterTheTimerHasEndedIsNone() {
		DisposalTimeouts timeouts = new DisposalTimeouts(this.timer, Runnable::run);
		this.timer.shutdownNow();
		assertThat(timeouts.start(() -> {
		}, TimeUnit.MILLISECONDS.toNanos(1))).isNull();
		assertThat(timeouts.pendingCount()).isZero();
	}

	/**
	 * Any mix of durations, started in any order, some cancelled before their deadline:
	 * every other one runs exactly once and not before its deadline, none cancelled in
	 * time runs.
	 * @param millis the timeouts' durations, in start order
	 * @param cancelEvery every so many timeouts, one is cancelled right away
	 */
	@Property(tries = 15)
	void everyTimeoutNotCancelledRunsOnceNotBeforeItsDeadline(
			@ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 60) Integer> millis,
			@ForAll @IntRange(min = 2, max = 5) int cancelEvery) {
		ScheduledThreadPoolExecutor propertyTimer = new ScheduledThreadPoolExecutor(1);
		try {
			Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
			Map<Integer, Long> ranAfterNanos = new ConcurrentHashMap<>();
			DisposalTimeouts timeouts = new DisposalTimeouts(propertyTimer, Runnable::run);
			List<Integer> expected = new ArrayList<>();
			long[] starts = new long[millis.size()];
			for (int i = 0; i < millis.size(); i++) {
				int id = i;
				starts[i] = System.nanoTime();
				DisposalTimeouts.Timeout timeout = timeouts.start(() -> {
					runs.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
					ranAfterNanos.putIfAbsent(id, System.nanoTime() - starts[id]);
				}, TimeUnit.MILLISECONDS.toNanos(millis.get(i)));
				assertThat(timeout).isNotNull();
				// A cancel that comes after the deadline (a busy machine, a 1 ms timeout)
				// is too late: that timeout runs, once, like the others.
				if (i % cancelEvery != 0 || !timeout.cancel()) {
					expected.add(i);
				}
			}
			await().atMost(PATIENCE).until(() -> timeouts.pendingCount() == 0 && runs.size() == expected.size());
			assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(expected);
			assertThat(runs.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
			for (int id : expected) {
				assertThat(ranAfterNanos.get(id)).as("timeout %d", id)
					.isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(millis.get(id)));
			}
		}
		finally {
			propertyTimer.shutdownNow();
		}
	}

}
