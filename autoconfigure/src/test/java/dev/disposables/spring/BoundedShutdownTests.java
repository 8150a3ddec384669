package dev.disposables.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.disposables.AsyncDisposable;
import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesScopesAutoConfiguration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The shutdown is bounded and complete whatever user code does: {@code close()} returns
 * within the deadline, every well-behaved resource is disposed exactly once, a
 * misbehaving one is reported and never holds up the others, and user code runs only on
 * the starter's threads.
 */
@ExtendWith(OutputCaptureExtension.class)
class BoundedShutdownTests {

	private final DisposalJournal journal = new DisposalJournal();

	private final Outcomes outcomes = new Outcomes();

	@Test
	void slowMemberOfAnOpenScopeIsTimedOutAndHoldsUpOnlyTheSingletonsItUses() {
		AnnotationConfigApplicationContext context = context(
				Map.of("disposables.shutdown.timeout", "3s", "disposables.shutdown.per-resource-timeout", "1s"));
		context.registerBean("database", Object.class,
				() -> TimedResource.create("database", 0, false, this.journal, List.of()));
		context.registerBean("independent", Object.class,
				() -> TimedResource.create("independent", 0, false, this.journal, List.of()));
		context.registerBean("slowMember", SlowClose.class, (definition) -> {
			definition.setScope("prototype");
			definition.setDependsOn("database");
		});
		context.refresh();
		this.outcomes.listenTo(context);
		DisposalScope scope = context.getBean(DisposalScopes.class).open();
		scope.getBean(SlowClose.class);
		long start = System.nanoTime();
		context.close();
		Duration took = Duration.ofNanos(System.nanoTime() - start);

		assertThat(this.outcomes.states).containsEntry("slowMember", ResourceState.TIMED_OUT)
			.containsEntry("independent", ResourceState.DISPOSED)
			.containsEntry("database", ResourceState.DISPOSED);
		// compared with the member's timeout rather than a fixed bound: a loaded machine
		// delays both alike
		assertThat(this.outcomes.finishedAt.get("independent"))
			.as("the independent singleton does not wait for the scope")
			.isLessThan(this.outcomes.finishedAt.get("slowMember"));
		assertThat(this.outcomes.finishedAt.get("database")).as("the singleton the member uses waits for it")
			.isGreaterThan(this.outcomes.finishedAt.get("slowMember"));
		// per-resource timeout 1 s: the 3 s deadline is not needed
		assertThat(took).isLessThan(Duration.ofMillis(2500));
		assertThat(scope.isDisposed()).isTrue();
	}

	@Test
	void throwingListenerChangesNothingElseAndIsLoggedOncePerCallback(CapturedOutput output) {
		AnnotationConfigApplicationContext context = context(Map.of("disposables.shutdown.timeout", "5s"));
		context.registerBean("async", Object.class,
				() -> TimedResource.create("async", 10, true, this.journal, List.of()));
		context.registerBean("sync", Object.class,
				() -> TimedResource.create("sync", 10, false, this.journal, List.of()));
		context.registerBean("proto", Object.class,
				() -> TimedResource.create("proto", 10, false, this.journal, List.of()),
				(definition) -> definition.setScope("prototype"));
		context.refresh();
		context.getBean(DisposableRegistry.class).addListener(new ThrowingListener());
		List<Object> prototypes = new ArrayList<>();
		prototypes.add(context.getBean("proto"));
		prototypes.add(context.getBean("proto"));
		long start = System.nanoTime();
		context.close();
		Duration took = Duration.ofNanos(System.nanoTime() - start);

		assertThat(prototypes).hasSize(2);
		assertThat(took).isLessThan(Duration.ofSeconds(2));
		for (String name : List.of("async", "sync", "proto")) {
			assertThat(this.journal.end(name)).as("end of %s", name).isNotNull();
		}
		assertThat(this.journal.startCount("proto")).isEqualTo(2);
		String failed = "DisposableRegistryListener " + ThrowingListener.class.getName() + " failed in ";
		assertThat(output).containsOnlyOnce(failed + "onRegistered")
			.containsOnlyOnce(failed + "onDisposed")
			.containsOnlyOnce(failed + "onShutdown")
			.contains("Disposed 4 resources (async 1, sync 3)");
	}

	@Test
	void throwingLeakListenerStillDisposesWhatTheLeakedOwnerHeld() {
		AnnotationConfigApplicationContext context = context(Map.of());
		context.registerBean("child", Child.class, (definition) -> definition.setScope("prototype"));
		context.registerBean("leakyOwner", LeakyOwner.class, (definition) -> definition.setScope("prototype"));
		context.refresh();
		try {
			context.getBean(DisposableRegistry.class).addListener(new DisposableRegistryListener() {

				@Override
				public void onLeaked(DisposableResource resource) {
					throw new IllegalStateException("listener failed");
				}

			});
			Child child = context.getBean(LeakyOwner.class).child; // the owner is dropped
																	// at once: a leak
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
				System.gc();
				return child.closed.get();
			});
		}
		finally {
			context.close();
		}
	}

	@Test
	void abandoningAnOwnerAtTheDeadlineRunsNoDisposalOnTheClosingThread() {
		AnnotationConfigApplicationContext context = context(
				Map.of("disposables.shutdown.timeout", "1s", "disposables.shutdown.per-resource-timeout", "1h"));
		context.registerBean("blocksBeforeReturning", BlocksBeforeReturning.class,
				(definition) -> definition.setScope("prototype"));
		context.registerBean("stubbornOwner", StubbornOwner.class);
		context.refresh();
		this.outcomes.listenTo(context);
		long start = System.nanoTime();
		context.close();
		Duration took = Duration.ofNanos(System.nanoTime() - start);

		assertThat(took).isLessThan(Duration.ofMillis(1000 + 1000));
		assertThat(BlocksBeforeReturning.threads).noneMatch((name) -> name.equals(Thread.currentThread().getName()));
		assertThat(this.outcomes.states).containsEntry("stubbornOwner", ResourceState.TIMED_OUT);
	}

	@Test
	void disposeAsyncThatBlocksBeforeReturningIsTimedOutAndDoesNotStarveOthers() {
		AnnotationConfigApplicationContext context = context(
				Map.of("disposables.shutdown.timeout", "10s", "disposables.shutdown.per-resource-timeout", "500ms"));
		for (int i = 0; i < 4; i++) {
			context.registerBean("blocker" + i, SleepsInDisposeAsync.class);
		}
		context.registerBean("quick", Object.class,
				() -> TimedResource.create("quick", 0, true, this.journal, List.of()));
		context.refresh();
		this.outcomes.listenTo(context);
		long start = System.nanoTime();
		context.close();
		Duration took = Duration.ofNanos(System.nanoTime() - start);

		for (int i = 0; i < 4; i++) {
			assertThat(this.outcomes.states).containsEntry("blocker" + i, ResourceState.TIMED_OUT);
			// compared with the blockers' timeouts rather than a fixed bound: a loaded
			// machine delays both alike
			assertThat(this.outcomes.finishedAt.get("quick")).as("quick is not starved by blocker%d", i)
				.isLessThan(this.outcomes.finishedAt.get("blocker" + i));
		}
		assertThat(took).isLessThan(Duration.ofMillis(500 + 1500));
	}

	@Test
	void asyncScopeMemberTimingOutDoesNotMoveTheNextMembersOntoAForeignThread() {
		AnnotationConfigApplicationContext context = context(
				Map.of("disposables.shutdown.per-resource-timeout", "300ms"));
		context.registerBean("recordsThread", RecordsThread.class, (definition) -> definition.setScope("prototype"));
		context.registerBean("neverCompletes", NeverCompletes.class, (definition) -> definition.setScope("prototype"));
		context.refresh();
		try {
			DisposalScope scope = context.getBean(DisposalScopes.class).open();
			RecordsThread first = scope.getBean(RecordsThread.class);
			scope.getBean(NeverCompletes.class);
			assertThatExceptionOfType(DisposalTimeoutException.class).isThrownBy(scope::close);
			assertThat(first.thread.get()).startsWith("disposables-");
		}
		finally {
			context.close();
		}
	}

	@Test
	void neverEndingPublisherIsCancelledAtItsTimeout() {
		AnnotationConfigApplicationContext context = context(
				Map.of("disposables.shutdown.timeout", "5s", "disposables.shutdown.per-resource-timeout", "300ms"));
		context.registerBean("endless", EndlessPublisher.class);
		context.refresh();
		this.outcomes.listenTo(context);
		EndlessPublisher endless = context.getBean(EndlessPublisher.class);
		context.close();

		assertThat(this.outcomes.states).containsEntry("endless", ResourceState.TIMED_OUT);
		await().atMost(Duration.ofSeconds(2)).untilTrue(endless.cancelled);
		long elements = endless.elements.get();
		await().during(Duration.ofMillis(200))
			.atMost(Duration.ofSeconds(2))
			.until(() -> endless.elements.get() == elements);
	}

	@Test
	void perResourceTimeoutStartsWhenASyncDisposalStartsNotWhenItIsQueued() {
		AnnotationConfigApplicationContext context = context(Map.of("disposables.shutdown.timeout", "10s",
				"disposables.shutdown.per-resource-timeout", "600ms", "disposables.shutdown.max-concurrency", "1"));
		for (int i = 0; i < 4; i++) {
			String name = "sync" + i;
			context.registerBean(name, Object.class,
					() -> TimedResource.create(name, 300, false, this.journal, List.of()));
		}
		context.refresh();
		this.outcomes.listenTo(context);
		context.close();
		for (int i = 0; i < 4; i++) {
			assertThat(this.outcomes.states).containsEntry("sync" + i, ResourceState.DISPOSED);
			assertThat(this.journal.end("sync" + i)).isNotNull();
		}
	}

	@Test
	void anOutcomeStillBeingReportedWhenTheDeadlineComesIsReportedBeforeCloseReturns() {
		// 'quick' is disposed at once, but a listener holds its report until the deadline
		// has abandoned 'waiting' (which waits for 'quick'): the deadline finds 'quick'
		// ended and leaves it, yet close() must not return before its outcome is out.
		AnnotationConfigApplicationContext context = context(
				Map.of("disposables.shutdown.timeout", "500ms", "disposables.shutdown.per-resource-timeout", "5s"));
		context.registerBean("waiting", Child.class);
		context.registerBean("quick", Child.class, (definition) -> definition.setDependsOn("waiting"));
		context.refresh();
		CountDownLatch abandoned = new CountDownLatch(1);
		context.getBean(DisposableRegistry.class).addListener(new DisposableRegistryListener() {

			@Override
			public void onDisposed(DisposableResource resource, Duration duration, @Nullable Throwable failure) {
				if (resource.beanName().equals("waiting")) {
					abandoned.countDown();
				}
				else if (resource.beanName().equals("quick")) {
					awaitQuietly(abandoned);
					sleepUninterruptibly(30); // the rest of a slow listener's work
				}
			}

		});
		this.outcomes.listenTo(context);
		context.close();

		assertThat(this.outcomes.states).containsEntry("waiting", ResourceState.TIMED_OUT)
			.containsEntry("quick", ResourceState.DISPOSED);
	}

	@Test
	void failedRefreshDisposesEveryOwnedPrototypeEvenWhenTheyQueue() {
		AnnotationConfigApplicationContext context = context(Map.of("disposables.shutdown.max-concurrency", "1"));
		context.registerBean(DisposalJournal.class, () -> this.journal);
		context.registerBean("slowChild", SlowChild.class, (definition) -> definition.setScope("prototype"));
		context.registerBean("holder", Holder.class);
		SlowChild.ids.set(0);
		context.registerBean("broken", Object.class, () -> {
			throw new IllegalStateException("boom");
		}, (definition) -> definition.setDependsOn("holder"));
		assertThatExceptionOfType(BeanCreationException.class).isThrownBy(context::refresh);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			for (int i = 1; i <= 3; i++) {
				assertThat(this.journal.end("slowChild" + i)).as("end of slowChild%d", i).isNotNull();
			}
		});
		for (int i = 1; i <= 3; i++) {
			assertThat(this.journal.startCount("slowChild" + i)).isEqualTo(1);
		}
	}

	@Test
	void syncDisposalOnTheCallersThreadKeepsTheCallersInterruptFlag() {
		AnnotationConfigApplicationContext context = context(Map.of());
		context.registerBean("child", Child.class, (definition) -> definition.setScope("prototype"));
		context.refresh();
		try {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			Child child = context.getBean(Child.class);
			registry.close(); // from now on a disposal runs on the caller's thread
			Thread.currentThread().interrupt();
			registry.dispose(child);
			assertThat(Thread.interrupted()).as("the caller's interrupt flag is kept").isTrue();
			assertThat(child.closed).isTrue();
		}
		finally {
			Thread.interrupted();
			context.close();
		}
	}

	@Test
	void userDefinedDisposalScopesStillTakePartInTheShutdown() {
		AnnotationConfigApplicationContext context = context(Map.of());
		context.registerBean("myScopes", DisposalScopes.class,
				() -> new DisposalScopes(context.getBeanFactory(), context.getBean(DisposableRegistry.class)));
		context.registerBean("member", Object.class,
				() -> TimedResource.create("member", 0, false, this.journal, List.of()),
				(definition) -> definition.setScope("prototype"));
		context.refresh();
		DisposalScopes scopes = context.getBean(DisposalScopes.class);
		DisposalScope scope = scopes.open();
		scope.getBean("member", Object.class);
		context.close();
		assertThat(scope.isDisposed()).isTrue();
		assertThat(scopes.openCount()).isZero();
		assertThat(this.journal.startCount("member")).isEqualTo(1);
	}

	@Test
	void beanFirstCreatedDuringShutdownIsDisposedExactlyOnce() {
		AnnotationConfigApplicationContext context = context(Map.of());
		context.registerBean("late", Object.class,
				() -> TimedResource.create("late", 0, false, this.journal, List.of()),
				(definition) -> definition.setLazyInit(true));
		context.registerBean("usesLateInClose", UsesBeanInClose.class, () -> new UsesBeanInClose(context, "late"));
		context.refresh();
		this.outcomes.listenTo(context);
		context.close();
		assertThat(this.outcomes.states).containsEntry("late", ResourceState.DISPOSED);
		assertThat(this.journal.startCount("late")).isEqualTo(1);
		assertThat(this.journal.end("late")).isNotNull();
	}

	@Test
	void summaryNeverCountsTheAnchorsOfNonDisposableOwners(CapturedOutput output) {
		AnnotationConfigApplicationContext context = context(Map.of());
		context.registerBean(DisposalJournal.class, () -> this.journal);
		context.registerBean("slowChild", SlowChild.class, (definition) -> definition.setScope("prototype"));
		context.registerBean("plainOwner", PlainOwner.class);
		context.refresh();
		context.close();
		assertThat(output).contains("Disposed 1 resources (async 0, sync 1)");
	}

	private static AnnotationConfigApplicationContext context(Map<String, Object> properties) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", properties));
		context.register(DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class);
		return context;
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static void sleepUninterruptibly(long millis) {
		long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
		long left;
		while ((left = until - System.nanoTime()) > 0) {
			try {
				Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left) + 1);
			}
			catch (InterruptedException ex) {
				// ignores interrupts on purpose
			}
		}
	}

	/** Final states and finishing times by bean name. */
	static final class Outcomes implements DisposableRegistryListener {

		final Map<String, ResourceState> states = new ConcurrentHashMap<>();

		final Map<String, Long> finishedAt = new ConcurrentHashMap<>();

		void listenTo(AnnotationConfigApplicationContext context) {
			context.getBean(DisposableRegistry.class).addListener(this);
		}

		@Override
		public void onDisposed(DisposableResource resource, Duration duration, @Nullable Throwable failure) {
			this.finishedAt.put(resource.beanName(), System.nanoTime());
			this.states.put(resource.beanName(), resource.state());
		}

	}

	static class SlowClose implements AutoCloseable {

		@Override
		public void close() throws InterruptedException {
			Thread.sleep(10_000); // the simulated work of a very slow close; stops when
									// interrupted
		}

	}

	static class Child implements AutoCloseable {

		final AtomicBoolean closed = new AtomicBoolean();

		@Override
		public void close() {
			this.closed.set(true);
		}

	}

	static class LeakyOwner implements AutoCloseable {

		final Child child;

		LeakyOwner(Child child) {
			this.child = child;
		}

		@Override
		public void close() {
		}

	}

	/**
	 * An async disposer that blocks (ignoring interrupts) for a while before it returns
	 * its stage.
	 */
	static class BlocksBeforeReturning implements AsyncDisposable {

		static final List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

		@Override
		public CompletionStage<Void> disposeAsync() {
			threads.add(Thread.currentThread().getName());
			sleepUninterruptibly(600);
			return CompletableFuture.completedFuture(null);
		}

	}

	/** Owns eight prototypes and never finishes its own close(), ignoring interrupts. */
	static class StubbornOwner implements AutoCloseable {

		final List<BlocksBeforeReturning> children;

		StubbornOwner(BlocksBeforeReturning c1, BlocksBeforeReturning c2, BlocksBeforeReturning c3,
				BlocksBeforeReturning c4, BlocksBeforeReturning c5, BlocksBeforeReturning c6, BlocksBeforeReturning c7,
				BlocksBeforeReturning c8) {
			this.children = List.of(c1, c2, c3, c4, c5, c6, c7, c8);
		}

		@Override
		public void close() {
			sleepUninterruptibly(30_000);
		}

	}

	static class SleepsInDisposeAsync implements AsyncDisposable {

		@Override
		public CompletionStage<Void> disposeAsync() {
			try {
				Thread.sleep(3000); // blocks before returning its stage, by mistake
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return CompletableFuture.completedFuture(null);
		}

	}

	static class RecordsThread implements AutoCloseable {

		final AtomicReference<String> thread = new AtomicReference<>();

		@Override
		public void close() {
			this.thread.set(Thread.currentThread().getName());
		}

	}

	static class NeverCompletes implements AsyncDisposable {

		@Override
		public CompletionStage<Void> disposeAsync() {
			return new CompletableFuture<>();
		}

	}

	public static class EndlessPublisher {

		final AtomicBoolean cancelled = new AtomicBoolean();

		final AtomicInteger elements = new AtomicInteger();

		public Flux<Long> closeAsync() {
			return Flux.interval(Duration.ofMillis(10))
				.doOnNext((element) -> this.elements.incrementAndGet())
				.doOnCancel(() -> this.cancelled.set(true));
		}

	}

	static class SlowChild implements AutoCloseable {

		private static final AtomicInteger ids = new AtomicInteger();

		private final DisposalJournal journal;

		private final String name;

		SlowChild(DisposalJournal journal) {
			this.journal = journal;
			this.name = "slowChild" + ids.incrementAndGet();
		}

		@Override
		public void close() throws InterruptedException {
			this.journal.started(this.name);
			Thread.sleep(200); // the simulated work of a blocking close
			this.journal.finished(this.name);
		}

	}

	/** Not disposable itself; owns three prototypes. */
	static class Holder {

		final List<SlowChild> children;

		Holder(SlowChild first, SlowChild second, SlowChild third) {
			this.children = List.of(first, second, third);
		}

	}

	/** Not disposable itself; owns one prototype. */
	static class PlainOwner {

		final SlowChild child;

		PlainOwner(SlowChild child) {
			this.child = child;
		}

	}

	static class UsesBeanInClose implements AutoCloseable {

		private final BeanFactory beanFactory;

		private final String name;

		UsesBeanInClose(BeanFactory beanFactory, String name) {
			this.beanFactory = beanFactory;
			this.name = name;
		}

		@Override
		public void close() {
			this.beanFactory.getBean(this.name);
		}

	}

}
