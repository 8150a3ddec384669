package dev.disposables.spring;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link DisposalExecutors}' permits: never more than {@code maxConcurrency} disposals
 * run at once and that many do, queued ones start in order as permits come back, a permit
 * comes back once however often it is given back, and {@code close()} drops nothing
 * queued. And abandonment: a disposal abandoned at its timeout gives its permit back
 * while a disposer that ignores interrupts keeps its thread, one that heeds them is
 * interrupted, and the disposals queued behind it run on other threads.
 */
class DisposalExecutorsTests {

	private static final Duration PATIENCE = Duration.ofSeconds(10);

	/** Calls {@link Closer#close()}, as the plan of a bean with a close method. */
	private static final DisposalPlan CLOSE_PLAN = closePlan();

	/** Released at the end of each test: what a test left blocked ends. */
	private final CountDownLatch endOfTest = new CountDownLatch(1);

	private final List<DisposalExecutors> toClose = new ArrayList<>();

	private @Nullable DisposableRegistry registry;

	@AfterEach
	void end() {
		this.endOfTest.countDown();
		this.toClose.forEach(DisposalExecutors::close);
		if (this.registry != null) {
			this.registry.close();
		}
	}

	@Test
	void neverMoreThanMaxConcurrencyDisposalsRunAtOnceAndThatManyDo() {
		assertBoundedInOrder(3, 10);
	}

	/**
	 * Whatever the bound and the number of disposals, {@link #assertBoundedInOrder}.
	 * @param maxConcurrency the bound
	 * @param disposals how many disposals are submitted
	 */
	@Property(tries = 15)
	void anyBoundHoldsForAnyNumberOfDisposals(@ForAll @IntRange(min = 1, max = 4) int maxConcurrency,
			@ForAll @IntRange(min = 1, max = 9) int disposals) {
		try {
			assertBoundedInOrder(maxConcurrency, disposals);
		}
		finally {
			this.toClose.forEach(DisposalExecutors::close);
			this.toClose.clear();
		}
	}

	/**
	 * Submits disposals that each hold their permit until let go, and lets them go one at
	 * a time, oldest first: {@code min(maxConcurrency, disposals)} run at once from the
	 * start, each one let go lets exactly the oldest queued one start, the others stay
	 * queued, and never more than {@code maxConcurrency} run at once.
	 * @param maxConcurrency the bound
	 * @param disposals how many disposals to submit
	 */
	private void assertBoundedInOrder(int maxConcurrency, int disposals) {
		DisposalExecutors executors = executors(maxConcurrency);
		Concurrency concurrency = new Concurrency();
		List<Gated> tasks = new ArrayList<>();
		for (int i = 0; i < disposals; i++) {
			Gated task = new Gated(concurrency);
			tasks.add(task);
			executors.submit(task);
		}
		int atOnce = Math.min(maxConcurrency, disposals);
		// That many run: each holds its permit until its gate opens.
		awaitUntil(atOnce + " disposals running at once", () -> concurrency.now.get() >= atOnce);
		assertThat(concurrency.now).as("running at once").hasValue(atOnce);
		for (int i = 0; i < disposals; i++) {
			assertThat(tasks.get(i).started.getCount()).as("task %d runs", i).isZero();
			tasks.get(i).gate.countDown();
			int next = i + maxConcurrency;
			if (next < disposals) {
				Gated nextTask = tasks.get(next);
				awaitUntil("task " + next + " started", () -> nextTask.started.getCount() == 0);
				for (int queued = next + 1; queued < disposals; queued++) {
					assertThat(tasks.get(queued).started.getCount()).as("task %d still queued", queued).isOne();
				}
			}
		}
		awaitUntil("all done", () -> tasks.stream().allMatch((task) -> task.done.getCount() == 0));
		assertThat(concurrency.max).as("most at once").hasValue(atOnce);
		for (Gated task : tasks) {
			assertThat(task.onDisposalThread).isTrue();
			assertThat(task.thread.getName()).startsWith("disposables-dispose-");
		}
	}

	@Test
	void anAbandonedDisposalGivesItsPermitBackAndKeepsItsThread() {
		DisposalExecutors executors = executors(1);
		Concurrency concurrency = new Concurrency();
		Stuck stuck = new Stuck();
		executors.submit(stuck);
		awaitUntil("the stuck one started", () -> stuck.thread != null);
		Gated next = new Gated(concurrency);
		Gated last = new Gated(concurrency);
		executors.submit(next);
		executors.submit(last);
		assertThat(next.started.getCount()).as("queued behind the stuck one").isOne();
		// What DisposalAttempt.abandon() does at the timeout
		stuck.releasePermit();
		awaitUntil("the next one started", () -> next.started.getCount() == 0);
		assertThat(next.thread).as("another thread").isNotSameAs(stuck.thread);
		assertThat(stuck.thread.isAlive()).isTrue();
		assertThat(stuck.returned).as("still stuck in its disposer").isFalse();
		assertThat(last.started.getCount()).as("one permit came back, not two").isOne();
		next.gate.countDown();
		awaitUntil("the last one started", () -> last.started.getCount() == 0);
		last.gate.countDown();
		awaitUntil("the last one done", () -> last.done.getCount() == 0);
		assertThat(stuck.returned).isFalse();
		assertThat(concurrency.max).as("the abandoned one no longer counts").hasValue(1);
	}

	@Test
	void aPermitComesBackOnceHoweverOftenItIsGivenBack() {
		// Abandoned, then returning: both give the permit back.
		DisposalExecutors executors = executors(2);
		Concurrency concurrency = new Concurrency();
		Gated abandoned = new Gated(concurrency);
		Gated running = new Gated(concurrency);
		executors.submit(abandoned);
		executors.submit(running);
		awaitUntil("both running", () -> concurrency.now.get() == 2);
		executors.close();
		abandoned.releasePermit();
		abandoned.releasePermit();
		// Still one running: a disposal given now runs on a disposal thread under a
		// permit. Had the permit come back twice, the executors would think themselves
		// drained and run it on this thread.
		Recording late = new Recording();
		executors.submit(late);
		awaitUntil("the late one done", () -> late.done.getCount() == 0);
		assertThat(late.onCaller).isFalse();
		assertThat(late.thread.getName()).startsWith("disposables-dispose-");
		abandoned.gate.countDown(); // returns: its permit is not given back a third time
		running.gate.countDown();
		awaitUntil("both done", () -> running.done.getCount() == 0 && abandoned.done.getCount() == 0);
	}

	@Test
	void closeLetsQueuedDisposalsRunThenRunsLaterOnesOnTheCaller() {
		DisposalExecutors executors = executors(1);
		Concurrency concurrency = new Concurrency();
		Gated first = new Gated(concurrency);
		executors.submit(first);
		Recording queued = new Recording();
		Recording queuedToo = new Recording();
		executors.submit(queued);
		executors.submit(queuedToo);
		executors.close();
		first.gate.countDown();
		awaitUntil("the queued ones done", () -> queued.done.getCount() == 0 && queuedToo.done.getCount() == 0);
		for (Recording recording : List.of(queued, queuedToo)) {
			assertThat(recording.onCaller).as("nothing queued is dropped").isFalse();
			assertThat(recording.thread.getName()).startsWith("disposables-dispose-");
		}
		// Drained: Spring destroying a bean after the registry, on its own thread.
		awaitUntil("a disposal run on the caller once drained", () -> {
			Recording later = new Recording();
			executors.submit(later);
			// synchronously, on the thread that submits it
			return later.onCaller && later.thread == Thread.currentThread() && later.done.getCount() == 0;
		});
	}

	@Test
	void aDisposalPastItsTimeoutIsAbandonedAndTheOthersGoOn() {
		DisposableRegistry registry = new DisposableRegistry(DisposalSettings.builder()
			.shutdownTimeout(Duration.ofSeconds(60))
			.perResourceTimeout(Duration.ofMillis(300))
			.maxConcurrency(1)
			.samplingInterval(1)
			.build());
		this.registry = registry;
		IgnoresInterrupts hostile = new IgnoresInterrupts(this.endOfTest);
		HeedsInterrupts polite = new HeedsInterrupts(this.endOfTest);
		Quick quick = new Quick();
		Quick quickToo = new Quick();
		ManagedResource hostileResource = register(registry, hostile);
		ManagedResource politeResource = register(registry, polite);
		ManagedResource quickResource = register(registry, quick);
		ManagedResource quickTooResource = register(registry, quickToo);
		// One permit: each waits for the one before it to end or to be abandoned.
		List<CompletableFuture<Void>> completions = new ArrayList<>();
		for (ManagedResource resource : List.of(hostileResource, politeResource, quickResource, quickTooResource)) {
			completions.add(registry.dispose(resource, true));
		}
		awaitUntil("every disposal ended", () -> completions.stream().allMatch(CompletableFuture::isDone));
		assertThat(hostileResource.state()).isEqualTo(ResourceState.TIMED_OUT);
		assertThat(completions.get(0)).isCompletedExceptionally();
		awaitUntil("the hostile disposer interrupted", () -> hostile.interrupted);
		assertThat(hostile.returned).as("ignores the interrupt").isFalse();
		assertThat(hostile.thread.isAlive()).isTrue();
		DisposalAttempt hostileAttempt = hostileResource.attempt();
		assertThat(hostileAttempt).isNotNull();
		assertThat(hostileAttempt.isStuck()).isTrue();
		assertThat(hostileAttempt.stuckThreadNameNow()).isEqualTo(hostile.thread.getName());
		assertThat(politeResource.state()).isEqualTo(ResourceState.TIMED_OUT);
		DisposalAttempt politeAttempt = politeResource.attempt();
		assertThat(politeAttempt).isNotNull();
		awaitUntil("the polite disposer interrupted and returned",
				() -> polite.interrupted && !politeAttempt.isStuck());
		assertThat(quickResource.state()).isEqualTo(ResourceState.DISPOSED);
		assertThat(quickTooResource.state()).isEqualTo(ResourceState.DISPOSED);
		for (Closer closer : List.of(hostile, polite, quick, quickToo)) {
			assertThat(closer.thread.getName()).startsWith("disposables-dispose-");
		}
		assertThat(quick.thread).isNotSameAs(hostile.thread);
		assertThat(quickToo.thread).isNotSameAs(hostile.thread);
	}

	private DisposalExecutors executors(int maxConcurrency) {
		DisposalExecutors executors = new DisposalExecutors(maxConcurrency, 0);
		this.toClose.add(executors);
		return executors;
	}

	private static ManagedResource register(DisposableRegistry registry, Closer closer) {
		return registry.register(closer, closer.getClass().getSimpleName(), "singleton", CLOSE_PLAN, true, null);
	}

	private static DisposalPlan closePlan() {
		try {
			Method close = Closer.class.getMethod("close");
			return DisposalPlan.sync(List.of(), false, List.of(close), Set.of());
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void awaitUntil(String what, Callable<Boolean> condition) {
		await(what).atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).until(condition);
	}

	private static boolean awaitQuietly(CountDownLatch latch) {
		try {
			return latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			return false;
		}
	}

	/** How many tasks run now, and the most that ever ran at once. */
	static final class Concurrency {

		final AtomicInteger now = new AtomicInteger();

		final AtomicInteger max = new AtomicInteger();

		void enter() {
			this.max.accumulateAndGet(this.now.incrementAndGet(), Math::max);
		}

		void leave() {
			this.now.decrementAndGet();
		}

	}

	/** A disposal that runs a step. */
	static final class Task extends DisposalExecutors.BoundedTask {

		private final Runnable step;

		Task(Runnable step) {
			this.step = step;
		}

		@Override
		public void run() {
			this.step.run();
		}

		@Override
		void runOnCaller() {
			run();
		}

	}

	/** A disposal that runs until its gate opens. */
	static final class Gated extends DisposalExecutors.BoundedTask {

		final CountDownLatch gate = new CountDownLatch(1);

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch done = new CountDownLatch(1);

		private final Concurrency concurrency;

		volatile @Nullable Thread thread;

		volatile boolean onDisposalThread;

		Gated(Concurrency concurrency) {
			this.concurrency = concurrency;
		}

		@Override
		public void run() {
			this.thread = Thread.currentThread();
			this.onDisposalThread = DisposalExecutors.isDisposalThread();
			this.concurrency.enter();
			this.started.countDown();
			awaitQuietly(this.gate);
			this.concurrency.leave();
			this.done.countDown();
		}

		@Override
		void runOnCaller() {
			run();
		}

	}

	/** A disposal that records where it ran. */
	static final class Recording extends DisposalExecutors.BoundedTask {

		final CountDownLatch done = new CountDownLatch(1);

		volatile @Nullable Thread thread;

		volatile boolean onCaller;

		@Override
		public void run() {
			this.thread = Thread.currentThread();
			this.done.countDown();
		}

		@Override
		void runOnCaller() {
			this.onCaller = true;
			run();
		}

	}

	/** A disposal that never returns before the end of the test, interrupted or not. */
	final class Stuck extends DisposalExecutors.BoundedTask {

		volatile @Nullable Thread thread;

		volatile boolean returned;

		@Override
		public void run() {
			this.thread = Thread.currentThread();
			while (!awaitQuietly(DisposalExecutorsTests.this.endOfTest)) {
				// interrupted: ignored, as a hostile disposer would
			}
			this.returned = true;
		}

		@Override
		void runOnCaller() {
			run();
		}

	}

	/** A bean with a close method that records where it ran. */
	public abstract static class Closer {

		volatile @Nullable Thread thread;

		public void close() {
			this.thread = Thread.currentThread();
			closing();
		}

		abstract void closing();

	}

	static final class Quick extends Closer {

		@Override
		void closing() {
		}

	}

	/** Blocks in close until the end of the test, ignoring interrupts. */
	static final class IgnoresInterrupts extends Closer {

		private final CountDownLatch endOfTest;

		volatile boolean interrupted;

		volatile boolean returned;

		IgnoresInterrupts(CountDownLatch endOfTest) {
			this.endOfTest = endOfTest;
		}

		@Override
		void closing() {
			while (true) {
				try {
					if (this.endOfTest.await(30, TimeUnit.SECONDS)) {
						break;
					}
				}
				catch (InterruptedException ex) {
					this.interrupted = true; // and ignored
				}
			}
			this.returned = true;
		}

	}

	/** Blocks in close until interrupted. */
	static final class HeedsInterrupts extends Closer {

		private final CountDownLatch endOfTest;

		volatile boolean interrupted;

		HeedsInterrupts(CountDownLatch endOfTest) {
			this.endOfTest = endOfTest;
		}

		@Override
		void closing() {
			try {
				this.endOfTest.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				this.interrupted = true;
				Thread.currentThread().interrupt();
			}
		}

	}

}
