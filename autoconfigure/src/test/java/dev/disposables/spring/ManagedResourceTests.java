package dev.disposables.spring;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

import dev.disposables.boot.autoconfigure.DisposablesProperties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * {@link ManagedResource}'s life cycle: {@code LIVE}, then at most one claim to
 * {@code DISPOSING}, then exactly one terminal state; repeated claims and later
 * terminations are refused and change nothing, the flags that share the state's word
 * survive every transition, the completion completes only when signalled, an owner that
 * has ended takes no more resources, and however many threads race to claim or dispose
 * one resource, one wins and the disposal runs once. Also {@link ReportedClosedState},
 * which decides whether a prototype that reports itself closed is disposed again at
 * shutdown.
 */
class ManagedResourceTests {

	private static final ResourceMeta META = new ResourceMeta("bean", "bean", Object.class.getName(), "prototype",
			DisposalPlan.NONE, null, Object.class, ResourceKind.DISPOSABLE);

	/** Calls {@link Closing#close()}: one plan, as for one bean definition. */
	private static final DisposalPlan CLOSE_PLAN = closePlan();

	private static final Set<ResourceState> TERMINAL = EnumSet.of(ResourceState.DISPOSED, ResourceState.FAILED,
			ResourceState.TIMED_OUT, ResourceState.LEAKED, ResourceState.COLLECTED);

	private @Nullable DisposableRegistry registry;

	@AfterEach
	void closeRegistry() {
		if (this.registry != null) {
			this.registry.close();
		}
	}

	@Test
	void terminalStatesAreAllButLiveAndDisposing() {
		assertThat(EnumSet.allOf(ResourceState.class)).filteredOn(ResourceState::isTerminal)
			.containsExactlyInAnyOrderElementsOf(TERMINAL);
	}

	@Test
	void aNewResourceIsLiveAndHoldsItsInstance() {
		Object instance = new Object();
		ManagedResource resource = resource(instance);
		assertThat(resource.state()).isEqualTo(ResourceState.LIVE);
		assertThat(resource.isStrong()).isTrue();
		assertThat(resource.instance()).isSameAs(instance);
		assertThat(resource.finishedAt()).isNull();
		assertThat(resource.completion()).isNotDone();
	}

	@Test
	void onlyTheFirstClaimStartsTheDisposal() {
		ManagedResource resource = resource(new Object());
		assertThat(resource.tryStartDisposal()).isTrue();
		assertThat(resource.state()).isEqualTo(ResourceState.DISPOSING);
		assertThat(resource.tryStartDisposal()).isFalse();
		assertThat(resource.tryStartDisposal()).isFalse();
		assertThat(resource.state()).isEqualTo(ResourceState.DISPOSING);
		assertThat(resource.completion()).as("not finished by a claim").isNotDone();
	}

	@ParameterizedTest
	@EnumSource(names = { "DISPOSED", "FAILED", "TIMED_OUT", "LEAKED", "COLLECTED" })
	void aDisposalEndsInTheTerminalStateItFinishesWith(ResourceState terminal) {
		Object instance = new Object();
		ManagedResource resource = resource(instance);
		resource.tryStartDisposal();
		assertThat(resource.finish(terminal, null)).isEqualTo(ResourceState.DISPOSING);
		assertThat(resource.state()).isEqualTo(terminal);
		assertThat(resource.finishedAt()).isNotNull();
		assertThat(resource.isStrong()).as("no longer keeps its instance reachable").isFalse();
		assertThat(resource.tryStartDisposal()).as("never claimed again").isFalse();
		assertThat(resource.state()).isEqualTo(terminal);
	}

	@ParameterizedTest
	@EnumSource(names = { "DISPOSED", "FAILED", "TIMED_OUT", "LEAKED", "COLLECTED" })
	void aLiveResourceCanEndWithoutAClaim(ResourceState terminal) {
		// A leak, an anchor whose bean is gone, an abandonment at the deadline
		ManagedResource resource = resource(new Object());
		assertThat(resource.finish(terminal, null)).isEqualTo(ResourceState.LIVE);
		assertThat(resource.state()).isEqualTo(terminal);
		assertThat(resource.tryStartDisposal()).isFalse();
		assertThat(resource.state()).isEqualTo(terminal);
	}

	@ParameterizedTest
	@EnumSource(names = { "DISPOSED", "FAILED", "TIMED_OUT", "LEAKED", "COLLECTED" })
	void aTerminalStateIsFinal(ResourceState first) {
		ManagedResource resource = resource(new Object());
		resource.tryStartDisposal();
		resource.finish(first, null);
		Instant finishedAt = resource.finishedAt();
		for (ResourceState later : TERMINAL) {
			assertThat(resource.finish(later, new IllegalStateException("late"))).as("finish(%s)", later).isNull();
			assertThat(resource.state()).isEqualTo(first);
		}
		assertThat(resource.finishedAt()).isEqualTo(finishedAt);
	}

	@Test
	void flagsSurviveEveryTransitionAndLeaveTheStateAlone() {
		ManagedResource resource = resource(new Object());
		resource.setScopeManaged(true);
		resource.setContainerHeld();
		assertThat(resource.state()).isEqualTo(ResourceState.LIVE);
		assertThat(resource.tryStartDisposal()).isTrue();
		assertThat(resource.isScopeManaged()).isTrue();
		assertThat(resource.isContainerHeld()).isTrue();
		resource.setScopeManaged(false);
		assertThat(resource.state()).isEqualTo(ResourceState.DISPOSING);
		resource.setScopeManaged(true);
		assertThat(resource.finish(ResourceState.FAILED, null)).isEqualTo(ResourceState.DISPOSING);
		assertThat(resource.state()).isEqualTo(ResourceState.FAILED);
		assertThat(resource.isScopeManaged()).isTrue();
		assertThat(resource.isContainerHeld()).isTrue();
	}

	@Test
	void theCompletionCompletesWhenSignalledNotWhenFinished() {
		ManagedResource resource = resource(new Object());
		CompletableFuture<Void> completion = resource.completion();
		resource.tryStartDisposal();
		resource.finish(ResourceState.DISPOSED, null);
		assertThat(completion).as("counters and listeners come first").isNotDone();
		resource.signalCompletion(null);
		assertThat(completion).isCompleted();
		assertThat(resource.completion()).isSameAs(completion);
	}

	@Test
	void aCompletionAskedForAfterTheSignalIsCompletedAlready() {
		ManagedResource resource = resource(new Object());
		resource.finish(ResourceState.DISPOSED, null);
		resource.signalCompletion(null);
		assertThat(resource.completion()).isCompleted();
	}

	@Test
	void aFailureCompletesTheCompletionExceptionallyBeforeOrAfterItIsAskedFor() {
		IllegalStateException failure = new IllegalStateException("close failed");
		ManagedResource early = resource(new Object());
		CompletableFuture<Void> asked = early.completion();
		early.finish(ResourceState.FAILED, failure);
		early.signalCompletion(failure);
		ManagedResource late = resource(new Object());
		late.finish(ResourceState.FAILED, failure);
		late.signalCompletion(failure);
		for (CompletableFuture<Void> completion : List.of(asked, late.completion())) {
			assertThat(completion).isCompletedExceptionally();
			assertThatExceptionOfType(CompletionException.class).isThrownBy(completion::join).withCause(failure);
		}
	}

	@Test
	void anOwnerTakesResourcesUntilItEndsAndGivesThemBackNewestFirstOnce() {
		ManagedResource owner = resource(new Object());
		ManagedResource first = resource(new Object());
		ManagedResource second = resource(new Object());
		ManagedResource third = resource(new Object());
		assertThat(owner.addOwned(first)).isTrue();
		owner.tryStartDisposal();
		assertThat(owner.addOwned(second)).as("while disposing").isTrue();
		assertThat(owner.ownedSnapshot()).containsExactly(first, second);
		owner.finish(ResourceState.DISPOSED, null);
		assertThat(owner.addOwned(third)).as("once ended: the caller disposes it").isFalse();
		assertThat(owner.drainOwned()).containsExactly(second, first);
		assertThat(owner.drainOwned()).isEmpty();
		assertThat(owner.ownedSnapshot()).isEmpty();
	}

	@Test
	void threadsRacingToClaimOneResourceLetExactlyOneWin() throws InterruptedException {
		int rounds = 10_000;
		ManagedResource[] resources = new ManagedResource[rounds];
		for (int round = 0; round < rounds; round++) {
			resources[round] = resource(new Object());
		}
		AtomicIntegerArray wins = new AtomicIntegerArray(rounds);
		IntConsumer claim = (round) -> {
			if (resources[round].tryStartDisposal()) {
				wins.incrementAndGet(round);
			}
		};
		// One racer per core: more would only take turns on the cores.
		int racers = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
		race(rounds, Collections.nCopies(racers, claim));
		List<Integer> notOneWinner = new ArrayList<>();
		for (int round = 0; round < rounds; round++) {
			if (wins.get(round) != 1 || resources[round].state() != ResourceState.DISPOSING) {
				notOneWinner.add(round);
			}
		}
		assertThat(notOneWinner).as("rounds without exactly one winner").isEmpty();
	}

	@Test
	void threadsRacingToEndOneResourceLetExactlyOneWinWhileFlagsAreSet() throws InterruptedException {
		int rounds = 10_000;
		ManagedResource[] resources = new ManagedResource[rounds];
		for (int round = 0; round < rounds; round++) {
			resources[round] = resource(new Object());
			resources[round].tryStartDisposal();
		}
		AtomicIntegerArray wins = new AtomicIntegerArray(rounds);
		AtomicReferenceArray<ResourceState> winners = new AtomicReferenceArray<>(rounds);
		// Two racers, each ending the resource and setting a flag, in opposite orders
		IntConsumer flagThenEnd = (round) -> {
			resources[round].setContainerHeld();
			if (resources[round].finish(ResourceState.DISPOSED, null) != null) {
				wins.incrementAndGet(round);
				winners.set(round, ResourceState.DISPOSED);
			}
		};
		IntConsumer endThenFlag = (round) -> {
			if (resources[round].finish(ResourceState.TIMED_OUT, null) != null) {
				wins.incrementAndGet(round);
				winners.set(round, ResourceState.TIMED_OUT);
			}
			resources[round].setScopeManaged(true);
		};
		List<IntConsumer> racers = List.of(flagThenEnd, endThenFlag);
		race(rounds, racers);
		List<Integer> wrong = new ArrayList<>();
		for (int round = 0; round < rounds; round++) {
			ManagedResource resource = resources[round];
			if (wins.get(round) != 1 || resource.state() != winners.get(round) || !resource.isScopeManaged()
					|| !resource.isContainerHeld()) {
				wrong.add(round);
			}
		}
		assertThat(wrong).as("rounds without exactly one end, or with a flag lost").isEmpty();
	}

	@Test
	void manyThreadsDisposingOneResourceThroughTheRegistryRunItsDisposalOnce() throws Exception {
		DisposableRegistry registry = registry();
		int threads = 8;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			for (int round = 0; round < 50; round++) {
				Counted instance = new Counted();
				ManagedResource resource = registry.register(instance, "counted", "prototype", CLOSE_PLAN, true, null);
				CyclicBarrier start = new CyclicBarrier(threads);
				List<Future<CompletableFuture<Void>>> disposals = new ArrayList<>();
				for (int i = 0; i < threads; i++) {
					int path = i % 3;
					disposals.add(pool.submit(() -> {
						start.await();
						return switch (path) {
							case 0 -> registry.dispose(resource, true);
							case 1 -> registry.dispose(resource, false);
							default -> atShutdown(registry, resource);
						};
					}));
				}
				List<CompletableFuture<Void>> completions = new ArrayList<>();
				for (Future<CompletableFuture<Void>> disposal : disposals) {
					completions.add(disposal.get());
				}
				await().atMost(Duration.ofSeconds(10))
					.pollInterval(Duration.ofMillis(5))
					.until(() -> completions.stream().allMatch(CompletableFuture::isDone));
				assertThat(completions).allSatisfy((completion) -> assertThat(completion).isCompleted());
				assertThat(instance.closes).as("round %d", round).hasValue(1);
				assertThat(resource.state()).isEqualTo(ResourceState.DISPOSED);
				assertThat(registry.find(resource.id())).isEmpty();
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void actionsWaitingForTheEndRunOnceEachInOrderAndLateOnesRunAtOnce() throws Exception {
		DisposableRegistry registry = registry();
		ManagedResource resource = registry.register(new Counted(), "counted", "singleton", CLOSE_PLAN, true, null);
		List<String> ran = new CopyOnWriteArrayList<>();
		resource.whenSignalled(() -> ran.add("first:" + Thread.currentThread().getName()));
		resource.whenSignalled(() -> ran.add("second"));
		assertThat(ran).isEmpty();
		atShutdown(registry, resource).get(10, TimeUnit.SECONDS);
		assertThat(ran).hasSize(2);
		assertThat(ran.get(0)).startsWith("first:" + DisposalExecutors.THREAD_PREFIX);
		assertThat(ran.get(1)).isEqualTo("second");
		resource.whenSignalled(() -> ran.add("late:" + Thread.currentThread().getName()));
		assertThat(ran).hasSize(3).last().isEqualTo("late:" + Thread.currentThread().getName());
		resource.signalCompletion(null); // a second signal runs nothing again
		assertThat(ran).hasSize(3);
	}

	@Test
	void aFailingActionDoesNotLeaveTheCompletionIncomplete() {
		DisposableRegistry registry = registry();
		ManagedResource resource = registry.register(new Counted(), "counted", "singleton", CLOSE_PLAN, true, null);
		CompletableFuture<Void> completion = resource.completion();
		resource.whenSignalled(() -> {
			throw new IllegalStateException("a bug in the action");
		});
		assertThatIllegalStateException().isThrownBy(() -> resource.signalCompletion(null));
		assertThat(completion).isCompleted();
	}

	private static CompletableFuture<Void> atShutdown(DisposableRegistry registry, ManagedResource resource) {
		registry.startAtShutdown(resource);
		return resource.completion();
	}

	@Test
	void aPrototypeThatReportsItselfClosedIsDisposedAtShutdownWithoutClosingItAgain() {
		DisposableRegistry registry = registry();
		ClosedAlready prototype = new ClosedAlready();
		ClosedAlready singleton = new ClosedAlready();
		ManagedResource prototypeResource = registry.register(prototype, "prototype", "prototype", CLOSE_PLAN, true,
				null);
		ManagedResource singletonResource = registry.register(singleton, "singleton", "singleton", CLOSE_PLAN, true,
				null);
		CompletableFuture<Void> prototypeDone = atShutdown(registry, prototypeResource);
		CompletableFuture<Void> singletonDone = atShutdown(registry, singletonResource);
		await().atMost(Duration.ofSeconds(10)).until(() -> prototypeDone.isDone() && singletonDone.isDone());
		assertThat(prototypeResource.state()).isEqualTo(ResourceState.DISPOSED);
		assertThat(prototype.closes).as("closed by its user already").hasValue(0);
		assertThat(singletonResource.state()).isEqualTo(ResourceState.DISPOSED);
		assertThat(singleton.closes).as("Spring's own destruction of a singleton is kept").hasValue(1);
	}

	@ParameterizedTest
	@MethodSource("closedStates")
	void anInstanceReportsItselfClosedOnlyThroughAQueryThatSaysSo(Object instance, boolean closed) {
		assertThat(ReportedClosedState.isClosed(instance)).isEqualTo(closed);
	}

	static Stream<Arguments> closedStates() {
		return Stream.of(Arguments.of(new ReportsClosed(true), true), Arguments.of(new ReportsClosed(false), false),
				Arguments.of(new ReportsDisposed(true), true), Arguments.of(new ReportsDisposed(false), false),
				Arguments.of(new ReportsOpen(false), true), Arguments.of(new ReportsOpen(true), false),
				Arguments.of(new ThrowingQuery(), false), Arguments.of(new BoxedQuery(), false),
				Arguments.of(new StaticQuery(), false), Arguments.of(new Object(), false));
	}

	/**
	 * Any sequence of claims, terminations and flag changes, checked step by step against
	 * the documented state machine.
	 * @param operations what happens to the resource, in order
	 */
	@Property(tries = 300)
	void followsTheStateMachineWhateverHappens(@ForAll("operations") List<Integer> operations) {
		ManagedResource resource = resource(new Object());
		ResourceState state = ResourceState.LIVE;
		boolean scopeManaged = false;
		boolean containerHeld = false;
		List<ResourceState> terminals = List.copyOf(TERMINAL);
		for (int operation : operations) {
			if (operation == 0) {
				boolean claimable = (state == ResourceState.LIVE);
				assertThat(resource.tryStartDisposal()).isEqualTo(claimable);
				state = claimable ? ResourceState.DISPOSING : state;
			}
			else if (operation <= terminals.size()) {
				ResourceState terminal = terminals.get(operation - 1);
				ResourceState expected = state.isTerminal() ? null : state;
				assertThat(resource.finish(terminal, null)).isEqualTo(expected);
				state = state.isTerminal() ? state : terminal;
			}
			else if (operation == terminals.size() + 1) {
				scopeManaged = !scopeManaged;
				resource.setScopeManaged(scopeManaged);
			}
			else {
				containerHeld = true;
				resource.setContainerHeld();
			}
			assertThat(resource.state()).isEqualTo(state);
			assertThat(resource.isScopeManaged()).isEqualTo(scopeManaged);
			assertThat(resource.isContainerHeld()).isEqualTo(containerHeld);
			assertThat(resource.isStrong()).isEqualTo(!state.isTerminal());
		}
	}

	@Provide
	Arbitrary<List<Integer>> operations() {
		return Arbitraries.integers().between(0, TERMINAL.size() + 2).list().ofMaxSize(30);
	}

	/**
	 * Runs racers against one another, round after round: a round starts for all of them
	 * at once (they spin until the last one to finish the previous round starts it), so
	 * that they reach the round's resource together.
	 * @param rounds how many rounds
	 * @param racers what each racer does in a round, given the round's number
	 * @throws InterruptedException if interrupted while waiting for the racers
	 */
	private static void race(int rounds, List<IntConsumer> racers) throws InterruptedException {
		AtomicInteger started = new AtomicInteger();
		AtomicInteger finished = new AtomicInteger();
		AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
		List<Thread> threads = new ArrayList<>();
		for (IntConsumer racer : racers) {
			Thread thread = new Thread(() -> {
				for (int round = 0; round < rounds; round++) {
					for (int spins = 0; started.get() < round; spins++) {
						if (spins < 1_000) {
							Thread.onSpinWait();
						}
						else {
							Thread.yield();
						}
					}
					try {
						racer.accept(round);
					}
					catch (Throwable ex) {
						failure.compareAndSet(null, ex);
					}
					if (finished.incrementAndGet() == racers.size() * (round + 1)) {
						started.set(round + 1);
					}
				}
			}, "racer");
			thread.setDaemon(true);
			threads.add(thread);
			thread.start();
		}
		for (Thread thread : threads) {
			thread.join(Duration.ofMinutes(1).toMillis());
		}
		assertThat(threads).noneMatch(Thread::isAlive);
		assertThat(failure.get()).isNull();
	}

	private DisposableRegistry registry() {
		DisposableRegistry registry = new DisposableRegistry(new DisposablesProperties().toSettings());
		this.registry = registry;
		return registry;
	}

	private static DisposalPlan closePlan() {
		try {
			Method close = Closing.class.getMethod("close");
			return DisposalPlan.sync(List.of(), false, List.of(close), Set.of());
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static ManagedResource resource(Object instance) {
		return new ManagedResource(ResourceTable.id(1, instance), instance, META, true, null);
	}

	/** What the disposal plan of these tests calls. */
	public interface Closing {

		void close();

	}

	static class Counted implements Closing {

		final AtomicInteger closes = new AtomicInteger();

		@Override
		public void close() {
			this.closes.incrementAndGet();
		}

	}

	static class ClosedAlready extends Counted {

		public boolean isClosed() {
			return true;
		}

	}

	static class ReportsClosed {

		private final boolean closed;

		ReportsClosed(boolean closed) {
			this.closed = closed;
		}

		public boolean isClosed() {
			return this.closed;
		}

	}

	static class ReportsDisposed {

		private final boolean disposed;

		ReportsDisposed(boolean disposed) {
			this.disposed = disposed;
		}

		public boolean isDisposed() {
			return this.disposed;
		}

	}

	static class ReportsOpen {

		private final boolean open;

		ReportsOpen(boolean open) {
			this.open = open;
		}

		public boolean isOpen() {
			return this.open;
		}

	}

	static class ThrowingQuery {

		public boolean isClosed() {
			throw new IllegalStateException("cannot tell");
		}

	}

	static class BoxedQuery {

		public Boolean isClosed() {
			return Boolean.TRUE;
		}

	}

	static class StaticQuery {

		public static boolean isClosed() {
			return true;
		}

	}

}
