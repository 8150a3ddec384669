package dev.disposables.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.disposables.AsyncDisposable;
import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesScopesAutoConfiguration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.ManagedList;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Over random dependency graphs of well-behaved and hostile disposers (throwing, hanging,
 * ignoring interrupts, blocking before returning their stage, never completing, endless
 * publishers), with throwing listeners and open scopes holding slow members:
 * {@code close()} returns within the deadline plus a small fixed margin, every
 * well-behaved resource is disposed exactly once (unless the deadline cut the shutdown
 * short, and then it is reported), order holds among well-behaved dependents, each
 * hostile resource is reported once by bean name, user code runs only on the starter's
 * threads, and no thread the starter started outlives {@code close()} except those stuck
 * in code that ignores interrupts, which are reported.
 */
class HostileShutdownProperties {

	/**
	 * What {@code close()} may take beyond the deadline: the interrupt grace, the report,
	 * scheduling noise.
	 */
	static final long MARGIN_MILLIS = 600;

	static final long PER_RESOURCE_TIMEOUT_MILLIS = 250;

	static final String SECRET = Secretive.SECRET;

	/**
	 * Threads currently inside a disposer that ignores interrupts, across tries (they
	 * outlive their context).
	 */
	static final Set<Thread> stuckThreads = ConcurrentHashMap.newKeySet();

	/**
	 * Where well-behaved async disposals complete: a user's own threads, not the common
	 * pool (one thread on a 2-core machine, shared with the whole JVM).
	 */
	static final ScheduledExecutorService userThreads = Executors.newScheduledThreadPool(2, (runnable) -> {
		Thread thread = new Thread(runnable, "user-io");
		thread.setDaemon(true);
		return thread;
	});

	static final AtomicInteger tries = new AtomicInteger();

	static final AtomicLong worstOverDeadlineNanos = new AtomicLong(Long.MIN_VALUE);

	static final AtomicInteger abandoned = new AtomicInteger();

	static final AtomicInteger cutShortByDeadline = new AtomicInteger();

	static final AtomicInteger hostileResources = new AtomicInteger();

	@Property(tries = 200)
	void shutdownIsBoundedAndCompleteWhateverUserCodeDoes(@ForAll("scenarios") Scenario scenario) {
		tries.incrementAndGet();
		// Other test classes' cached contexts have starter threads of their own, with the
		// same names: only the
		// threads started during this try are this context's.
		Set<Thread> before = starterThreads();
		Recorder recorder = new Recorder();
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("test",
					Map.of("disposables.shutdown.timeout", scenario.deadlineMillis() + "ms",
							"disposables.shutdown.per-resource-timeout", PER_RESOURCE_TIMEOUT_MILLIS + "ms",
							"disposables.shutdown.max-concurrency", String.valueOf(scenario.maxConcurrency()))));
		context.register(DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class);
		context.registerBean("recorder", Recorder.class, () -> recorder);
		for (Node node : scenario.nodes()) {
			register(context, node);
		}
		for (Node member : scenario.members()) {
			register(context, member);
		}
		context.refresh();
		DisposableRegistry registry = context.getBean(DisposableRegistry.class);
		Outcomes outcomes = new Outcomes();
		registry.addListener(outcomes);
		if (scenario.throwingListener()) {
			registry.addListener(new ThrowingListener());
		}
		List<DisposalScope> scopes = new ArrayList<>();
		if (!scenario.members().isEmpty()) {
			DisposalScope scope = context.getBean(DisposalScopes.class).open();
			scopes.add(scope);
			for (Node member : scenario.members()) {
				scope.getBean(member.name(), Object.class);
			}
		}
		long start = System.nanoTime();
		context.close();
		long took = System.nanoTime() - start;

		long deadlineNanos = TimeUnit.MILLISECONDS.toNanos(scenario.deadlineMillis());
		worstOverDeadlineNanos.accumulateAndGet(took - deadlineNanos, Math::max);
		assertThat(Duration.ofNanos(took)).as("close() within the deadline plus %d ms", MARGIN_MILLIS)
			.isLessThan(Duration.ofMillis(scenario.deadlineMillis() + MARGIN_MILLIS));
		boolean cutShort = took >= deadlineNanos;
		if (cutShort) {
			cutShortByDeadline.incrementAndGet();
		}
		List<Node> all = new ArrayList<>(scenario.nodes());
		all.addAll(scenario.members());
		for (Node node : all) {
			String name = node.name();
			List<ResourceState> reported = outcomes.states.getOrDefault(name, List.of());
			assertThat(reported).as("%s (%s) is reported exactly once", name, node.kind()).hasSize(1);
			ResourceState state = reported.get(0);
			if (state == ResourceState.TIMED_OUT) {
				abandoned.incrementAndGet();
			}
			if (node.kind().wellBehaved()) {
				assertThat(recorder.journal.startCount(name)).as("disposals of %s", name).isLessThanOrEqualTo(1);
				if (!cutShort) {
					assertThat(state).as("%s when the deadline was not reached", name)
						.isEqualTo(ResourceState.DISPOSED);
				}
				if (state == ResourceState.DISPOSED) {
					assertThat(recorder.journal.startCount(name)).isEqualTo(1);
					assertThat(recorder.journal.end(name)).as("end of %s", name).isNotNull();
				}
				else {
					assertThat(state).as("%s, abandoned at the deadline", name).isEqualTo(ResourceState.TIMED_OUT);
				}
			}
			else {
				hostileResources.incrementAndGet();
				assertThat(state).as("%s (%s)", name, node.kind()).isIn(ResourceState.FAILED, ResourceState.TIMED_OUT);
			}
			Throwable failure = outcomes.failures.get(name);
			if (failure != null && failure.getMessage() != null) {
				assertThat(failure.getMessage()).doesNotContain(SECRET);
				if (failure instanceof DisposalTimeoutException) {
					assertThat(failure.getMessage()).contains("bean '" + name + "'");
				}
			}
		}
		// order among well-behaved dependents: a dependency starts only after its
		// dependent has finished
		for (Node node : all) {
			for (String target : node.dependencies()) {
				Node dependency = scenario.node(target);
				Long end = recorder.journal.end(node.name());
				Long targetStart = recorder.journal.start(target);
				if (node.kind().wellBehaved() && dependency.kind().wellBehaved() && end != null
						&& targetStart != null) {
					assertThat(targetStart).as("%s starts after its dependent %s ended", target, node.name())
						.isGreaterThan(end);
				}
			}
		}
		// user code only on the starter's threads
		assertThat(recorder.threads).allSatisfy((thread) -> assertThat(thread).startsWith("disposables-"));
		for (DisposalScope scope : scopes) {
			assertThat(scope.isDisposed()).isTrue();
		}
		// publishers are cancelled, and no starter thread outlives close() but those
		// stuck in user code
		await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
			assertThat(recorder.publishers).allSatisfy((publisher) -> assertThat(publisher.cancelled).isTrue());
			Set<Thread> started = starterThreads();
			started.removeAll(before);
			assertThat(started).isSubsetOf(stuckThreads);
		});
		// and those stuck are reported with their bean
		List<String> stuck = registry.stuckDisposals(Duration.ZERO);
		for (Map.Entry<String, String> entry : recorder.stuckNow.entrySet()) {
			assertThat(stuck).anySatisfy((line) -> assertThat(line).contains("bean '" + entry.getKey() + "'")
				.contains("'" + entry.getValue() + "'"));
		}
	}

	@AfterContainer
	static void printFigures() {
		System.out.printf("[hostile-shutdown] tries %d, worst close() over the deadline %d ms (margin %d ms), "
				+ "hostile resources %d, resources abandoned (TIMED_OUT) %d, shutdowns cut short by the deadline %d%n",
				tries.get(), TimeUnit.NANOSECONDS.toMillis(worstOverDeadlineNanos.get()), MARGIN_MILLIS,
				hostileResources.get(), abandoned.get(), cutShortByDeadline.get());
	}

	private static Set<Thread> starterThreads() {
		Set<Thread> threads = ConcurrentHashMap.newKeySet();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			// the JVM's one shutdown rehearsal may run beside the first try: its threads
			// are not this shutdown's
			if (thread.isAlive() && thread.getName().startsWith("disposables-")
					&& !thread.getName().startsWith(ShutdownRehearsal.REHEARSAL_THREAD_PREFIX)) {
				threads.add(thread);
			}
		}
		return threads;
	}

	private static void register(AnnotationConfigApplicationContext context, Node node) {
		context.registerBean(node.name(), Object.class, (definition) -> {
			AbstractBeanDefinition beanDefinition = (AbstractBeanDefinition) definition;
			beanDefinition.setBeanClass(HostileShutdownProperties.class);
			beanDefinition.setFactoryMethodName("create");
			if (node.member()) {
				beanDefinition.setScope("prototype");
			}
			ManagedList<Object> references = new ManagedList<>();
			List<String> dependsOn = new ArrayList<>();
			for (int i = 0; i < node.dependencies().size(); i++) {
				String target = node.dependencies().get(i);
				if (i % 2 == 0) {
					references.add(new RuntimeBeanReference(target));
				}
				else {
					dependsOn.add(target);
				}
			}
			var arguments = beanDefinition.getConstructorArgumentValues();
			arguments.addIndexedArgumentValue(0, node.name());
			arguments.addIndexedArgumentValue(1, node.kind());
			arguments.addIndexedArgumentValue(2, new RuntimeBeanReference("recorder"));
			arguments.addIndexedArgumentValue(3, references);
			beanDefinition.setDependsOn(dependsOn.toArray(String[]::new));
		});
	}

	/** The factory method of every bean in a scenario. */
	static Object create(String name, Kind kind, Recorder recorder, List<?> dependencies) {
		return switch (kind) {
			case WELL_ASYNC, BLOCKS_BEFORE_RETURNING, NEVER_COMPLETES -> new HostileAsync(name, kind, recorder);
			case ENDLESS_PUBLISHER -> new EndlessPublisher(name, recorder);
			default -> new HostileSync(name, kind, recorder);
		};
	}

	@Provide
	Arbitrary<Scenario> scenarios() {
		return Arbitraries.integers().between(1, 12).flatMap((size) -> Arbitraries.longs().map((seed) -> {
			Random random = new Random(seed);
			double density = 0.05 + random.nextDouble() * 0.25;
			List<Node> nodes = new ArrayList<>();
			int hostile = 0;
			for (int i = 0; i < size; i++) {
				List<String> dependencies = new ArrayList<>();
				for (int j = 0; j < i; j++) {
					if (random.nextDouble() < density) {
						dependencies.add("bean" + j);
					}
				}
				Kind kind = randomKind(random, hostile < 3);
				if (!kind.wellBehaved()) {
					hostile++;
				}
				nodes.add(new Node("bean" + i, kind, dependencies, false));
			}
			List<Node> members = new ArrayList<>();
			if (random.nextBoolean()) {
				int count = 1 + random.nextInt(3);
				for (int i = 0; i < count; i++) {
					List<String> dependencies = new ArrayList<>();
					for (Node node : nodes) {
						if (random.nextDouble() < 0.3) {
							dependencies.add(node.name());
						}
					}
					Kind kind = (random.nextInt(3) == 0) ? Kind.HANGS
							: (random.nextBoolean() ? Kind.WELL_SYNC : Kind.WELL_ASYNC);
					members.add(new Node("member" + i, kind, dependencies, true));
				}
			}
			return new Scenario(nodes, members, 500 + random.nextInt(401), 1 + random.nextInt(8),
					random.nextInt(3) == 0);
		}));
	}

	private static Kind randomKind(Random random, boolean hostileAllowed) {
		if (!hostileAllowed || random.nextDouble() < 0.65) {
			return random.nextBoolean() ? Kind.WELL_SYNC : Kind.WELL_ASYNC;
		}
		Kind[] hostile = { Kind.THROWS, Kind.HANGS, Kind.IGNORES_INTERRUPTS, Kind.BLOCKS_BEFORE_RETURNING,
				Kind.NEVER_COMPLETES, Kind.ENDLESS_PUBLISHER };
		return hostile[random.nextInt(hostile.length)];
	}

	enum Kind {

		WELL_SYNC, WELL_ASYNC, THROWS, HANGS, IGNORES_INTERRUPTS, BLOCKS_BEFORE_RETURNING, NEVER_COMPLETES,
		ENDLESS_PUBLISHER;

		boolean wellBehaved() {
			return this == WELL_SYNC || this == WELL_ASYNC;
		}

	}

	record Node(String name, Kind kind, List<String> dependencies, boolean member) {
	}

	record Scenario(List<Node> nodes, List<Node> members, int deadlineMillis, int maxConcurrency,
			boolean throwingListener) {

		Node node(String name) {
			for (Node node : this.nodes) {
				if (node.name().equals(name)) {
					return node;
				}
			}
			throw new IllegalArgumentException(name);
		}

		@Override
		public String toString() {
			StringBuilder text = new StringBuilder("deadline " + this.deadlineMillis + " ms, max-concurrency "
					+ this.maxConcurrency + (this.throwingListener ? ", throwing listener" : "") + "\n");
			List<Node> all = new ArrayList<>(this.nodes);
			all.addAll(this.members);
			for (Node node : all) {
				text.append(node.name())
					.append(" (")
					.append(node.kind())
					.append(node.member() ? ", scope member" : "")
					.append(")");
				node.dependencies().forEach((target) -> text.append(" ->").append(target));
				text.append('\n');
			}
			return text.toString();
		}

	}

	/**
	 * What the disposers did: the journal, the threads they ran on, the publishers they
	 * returned.
	 */
	static final class Recorder {

		final DisposalJournal journal = new DisposalJournal();

		final Set<String> threads = ConcurrentHashMap.newKeySet();

		final List<EndlessPublisher> publishers = new CopyOnWriteArrayList<>();

		/** Bean name to thread, while a disposer that ignores interrupts is running. */
		final Map<String, String> stuckNow = new ConcurrentHashMap<>();

		void entered(String name) {
			this.threads.add(Thread.currentThread().getName());
			this.journal.started(name);
		}

	}

	static final class Outcomes implements DisposableRegistryListener {

		final Map<String, List<ResourceState>> states = new ConcurrentHashMap<>();

		final Map<String, Throwable> failures = new ConcurrentHashMap<>();

		@Override
		public void onDisposed(DisposableResource resource, Duration duration, @Nullable Throwable failure) {
			this.states.computeIfAbsent(resource.beanName(), (key) -> new CopyOnWriteArrayList<>())
				.add(resource.state());
			if (failure != null) {
				this.failures.put(resource.beanName(), failure);
			}
		}

	}

	/**
	 * What every hostile resource has: its behaviour, where it records what it does, and
	 * a {@code toString()} that must never be printed.
	 */
	abstract static class Hostile {

		final String name;

		final Kind kind;

		final Recorder recorder;

		Hostile(String name, Kind kind, Recorder recorder) {
			this.name = name;
			this.kind = kind;
			this.recorder = recorder;
		}

		@Override
		public String toString() {
			return SECRET;
		}

	}

	static final class HostileSync extends Hostile implements AutoCloseable {

		HostileSync(String name, Kind kind, Recorder recorder) {
			super(name, kind, recorder);
		}

		@Override
		public void close() throws Exception {
			this.recorder.entered(this.name);
			switch (this.kind) {
				case THROWS -> throw new IllegalStateException("close failed");
				case HANGS -> Thread.sleep(10_000); // stops when interrupted
				case IGNORES_INTERRUPTS -> {
					Thread thread = Thread.currentThread();
					stuckThreads.add(thread);
					this.recorder.stuckNow.put(this.name, thread.getName());
					try {
						BoundedShutdownTests.sleepUninterruptibly(1500);
					}
					finally {
						this.recorder.stuckNow.remove(this.name);
						stuckThreads.remove(thread);
					}
				}
				default -> Thread.sleep(2); // the simulated work of a quick close
			}
			this.recorder.journal.finished(this.name);
		}

	}

	static final class HostileAsync extends Hostile implements AsyncDisposable {

		HostileAsync(String name, Kind kind, Recorder recorder) {
			super(name, kind, recorder);
		}

		@Override
		public CompletionStage<Void> disposeAsync() {
			this.recorder.entered(this.name);
			switch (this.kind) {
				case NEVER_COMPLETES -> {
					return new CompletableFuture<>();
				}
				case BLOCKS_BEFORE_RETURNING -> {
					try {
						Thread.sleep(2000); // blocks before returning its stage, by
											// mistake
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					return CompletableFuture.completedFuture(null);
				}
				default -> {
					CompletableFuture<Void> done = new CompletableFuture<>();
					userThreads.schedule(() -> {
						this.recorder.journal.finished(this.name);
						done.complete(null);
					}, 2, TimeUnit.MILLISECONDS);
					return done;
				}
			}
		}

	}

	public static final class EndlessPublisher {

		private final String name;

		private final Recorder recorder;

		final AtomicBoolean cancelled = new AtomicBoolean();

		EndlessPublisher(String name, Recorder recorder) {
			this.name = name;
			this.recorder = recorder;
		}

		public Flux<Long> closeAsync() {
			this.recorder.entered(this.name);
			this.recorder.publishers.add(this);
			return Flux.interval(Duration.ofMillis(5)).doOnCancel(() -> this.cancelled.set(true));
		}

		@Override
		public String toString() {
			return SECRET;
		}

	}

}
