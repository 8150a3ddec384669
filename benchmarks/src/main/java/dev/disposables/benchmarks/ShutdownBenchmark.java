package dev.disposables.benchmarks;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Shutdown of whole applications: N beans whose disposal takes L ms (even-numbered ones
 * {@link SlowAsyncResource}, odd-numbered ones {@link SlowSyncResource}), in several
 * dependency shapes, each closed with stock Spring and with the starter, alternating in
 * the same JVM; prints medians, ratios and the critical-path lower bound.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.disposables.benchmarks.ShutdownBenchmark \
 *     [--beans=200] [--latency-ms=50] [--repetitions=5] [--chain-depth=10] [--seed=42] \
 *     [--only=independent,chain] [--smoke]
 * </pre>
 *
 * Only {@code context.close()} is timed; start-up is not.
 */
public final class ShutdownBenchmark {

	/** Completes every async disposal; one thread for all, as an event loop would. */
	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "benchmark-async-disposal-timer");
		thread.setDaemon(true);
		return thread;
	});

	/** The default of {@code disposables.shutdown.max-concurrency}. */
	private static final int DEFAULT_MAX_CONCURRENCY = 128;

	private ShutdownBenchmark() {
	}

	public static void main(String[] args) {
		run(Options.of(new Args(args)), System.out);
	}

	/**
	 * Runs every scenario and prints the table.
	 * @param options what to run
	 * @param out where to print
	 * @return the results
	 */
	static List<Result> run(Options options, PrintStream out) {
		long latency = options.latencyMillis();
		int beans = options.beans();
		List<Scenario> scenarios = List.of(
				new Scenario("independent", ShutdownShape.independent(beans), DEFAULT_MAX_CONCURRENCY, latency),
				new Scenario("independent, max-concurrency=" + beans, ShutdownShape.independent(beans), beans, latency),
				// Platform threads started with the application (JDK 17-20): the shutdown
				// does not wait for them to start.
				new Scenario("independent, ready-threads=" + DEFAULT_MAX_CONCURRENCY, ShutdownShape.independent(beans),
						DEFAULT_MAX_CONCURRENCY, latency, DEFAULT_MAX_CONCURRENCY),
				new Scenario("chain", ShutdownShape.chain(beans, options.chainDepth()), DEFAULT_MAX_CONCURRENCY,
						latency),
				new Scenario("random DAG", ShutdownShape.randomDag(beans, options.seed()), DEFAULT_MAX_CONCURRENCY,
						latency),
				// References, to separate fixed costs from disposal: closing the
				// application itself, and the
				// per-bean bookkeeping when disposals take no time at all.
				new Scenario("reference: no beans", ShutdownShape.independent(0), DEFAULT_MAX_CONCURRENCY, latency),
				new Scenario("reference: independent, 0 ms", ShutdownShape.independent(beans), DEFAULT_MAX_CONCURRENCY,
						0));
		out.printf("Shutdown: %d beans x %d ms (half async, half sync), %d repetitions, Java %s, %d CPUs%n",
				options.beans(), options.latencyMillis(), options.repetitions(), Runtime.version(),
				Runtime.getRuntime().availableProcessors());
		// One untimed close per variant first: class loading and JIT of the close path
		// are not what is measured.
		// (Skipped by the single-repetition smoke run, which measures nothing.)
		if (options.repetitions() > 1) {
			closeMillis(false, scenarios.get(0));
			closeMillis(true, scenarios.get(0));
		}
		List<Result> results = new ArrayList<>();
		for (Scenario scenario : scenarios) {
			if (!options.runs(scenario)) {
				continue;
			}
			double[] stock = new double[options.repetitions()];
			double[] starter = new double[options.repetitions()];
			double[] starterThreads = new double[options.repetitions()];
			boolean allDisposed = true;
			for (int rep = 0; rep < options.repetitions(); rep++) {
				// Alternate which goes first, so that drift on a shared machine does not
				// favour one side.
				boolean starterFirst = rep % 2 == 1;
				Close first = closeMillis(starterFirst, scenario);
				Close second = closeMillis(!starterFirst, scenario);
				stock[rep] = starterFirst ? second.millis() : first.millis();
				starter[rep] = starterFirst ? first.millis() : second.millis();
				starterThreads[rep] = starterFirst ? first.threadsStarted() : second.threadsStarted();
				allDisposed &= first.allDisposed() && second.allDisposed();
			}
			Result result = new Result(scenario, new Stats(stock), new Stats(starter), allDisposed,
					new Stats(starterThreads));
			results.add(result);
			print(result, out);
		}
		return results;
	}

	private static void print(Result result, PrintStream out) {
		Scenario scenario = result.scenario();
		double critical = scenario.criticalPathMillis();
		// The references have no critical path: a ratio to it would be meaningless.
		String overCritical = (critical > 0) ? String.format("%.2fx", result.overCriticalPath()) : "-";
		out.printf(
				"%-30s stock %8.1f ms [%.1f-%.1f]  starter %7.1f ms [%.1f-%.1f]  ratio %6.1fx  "
						+ "critical path %6.1f ms (%d beans, %d edges)  starter/critical %s  "
						+ "bound with max-concurrency %.1f ms  threads started by the starter's close %.0f  "
						+ "all disposed: %s%n",
				scenario.label(), result.stock().median(), result.stock().min(), result.stock().max(),
				result.starter().median(), result.starter().min(), result.starter().max(), result.ratio(), critical,
				scenario.shape().longestPath(), scenario.shape().edges(), overCritical, scenario.capacityBoundMillis(),
				result.starterThreads().median(), result.allDisposed());
	}

	static Close closeMillis(boolean starter, Scenario scenario) {
		AtomicInteger disposed = new AtomicInteger();
		ShutdownShape shape = scenario.shape();
		ConfigurableApplicationContext context = Apps.start(starter,
				Map.of("disposables.shutdown.max-concurrency", scenario.maxConcurrency(),
						"disposables.shutdown.ready-threads", scenario.readyThreads()),
				(registry) -> registerBeans(registry, shape, scenario.latencyMillis(), disposed));
		long threadsBefore = THREADS.getTotalStartedThreadCount();
		long start = System.nanoTime();
		context.close();
		double millis = (System.nanoTime() - start) / 1e6;
		return new Close(millis, disposed.get() == shape.size(), THREADS.getTotalStartedThreadCount() - threadsBefore);
	}

	private static void registerBeans(GenericApplicationContext context, ShutdownShape shape, long latencyMillis,
			AtomicInteger disposed) {
		for (int i = 0; i < shape.size(); i++) {
			String[] dependsOn = new String[shape.dependsOn().get(i).length];
			for (int j = 0; j < dependsOn.length; j++) {
				dependsOn[j] = beanName(shape.dependsOn().get(i)[j]);
			}
			if (i % 2 == 0) {
				context.registerBean(beanName(i), SlowAsyncResource.class,
						() -> new SlowAsyncResource(latencyMillis, TIMER, disposed),
						(definition) -> definition.setDependsOn(dependsOn));
			}
			else {
				context.registerBean(beanName(i), SlowSyncResource.class,
						() -> new SlowSyncResource(latencyMillis, disposed),
						(definition) -> definition.setDependsOn(dependsOn));
			}
		}
	}

	private static String beanName(int index) {
		return "resource" + index;
	}

	/**
	 * What to run.
	 *
	 * @param beans beans per context
	 * @param latencyMillis disposal latency of each bean
	 * @param repetitions closes per scenario and variant
	 * @param chainDepth the depth of the chain shape
	 * @param seed the random DAG's seed
	 * @param only the scenarios to run, by the start of their label (empty: all)
	 */
	record Options(int beans, long latencyMillis, int repetitions, int chainDepth, long seed, List<String> only) {

		static Options of(Args args) {
			if (args.flag("smoke")) {
				return new Options(8, 5, 1, 3, 42, List.of());
			}
			String only = args.string("only", "");
			return new Options(args.integer("beans", 200), args.integer("latency-ms", 50),
					args.integer("repetitions", 5), args.integer("chain-depth", 10), args.integer("seed", 42),
					only.isEmpty() ? List.of() : List.of(only.split(",")));
		}

		boolean runs(Scenario scenario) {
			return this.only.isEmpty() || this.only.stream().anyMatch(scenario.label()::startsWith);
		}

	}

	/**
	 * A shape closed with given starter settings.
	 *
	 * @param label the name in reports
	 * @param shape the dependencies
	 * @param maxConcurrency {@code disposables.shutdown.max-concurrency}
	 * @param latencyMillis the disposal latency of each bean
	 * @param readyThreads {@code disposables.shutdown.ready-threads}
	 */
	record Scenario(String label, ShutdownShape shape, int maxConcurrency, long latencyMillis, int readyThreads) {

		Scenario(String label, ShutdownShape shape, int maxConcurrency, long latencyMillis) {
			this(label, shape, maxConcurrency, latencyMillis, 0);
		}

		/**
		 * Beans on the longest path, each waiting for the previous one: nothing can close
		 * faster.
		 * @return the lower bound (ms)
		 */
		double criticalPathMillis() {
			return this.shape.longestPath() * (double) this.latencyMillis;
		}

		/**
		 * The critical path, or the waves the sync half needs through the bounded pool if
		 * that is longer — also a lower bound, and the tighter one when sync beans
		 * outnumber the pool.
		 * @return the lower bound (ms)
		 */
		double capacityBoundMillis() {
			int syncBeans = this.shape.size() / 2;
			int waves = (syncBeans + this.maxConcurrency - 1) / this.maxConcurrency;
			return Math.max(this.shape.longestPath(), waves) * (double) this.latencyMillis;
		}

	}

	/**
	 * The figures of one scenario.
	 *
	 * @param scenario what was closed
	 * @param stock close times with stock Spring (ms)
	 * @param starter close times with the starter (ms)
	 * @param allDisposed whether every close disposed every bean
	 * @param starterThreads threads started by each of the starter's closes
	 */
	record Result(Scenario scenario, Stats stock, Stats starter, boolean allDisposed, Stats starterThreads) {

		double ratio() {
			return this.stock.median() / this.starter.median();
		}

		double overCriticalPath() {
			return this.starter.median() / this.scenario.criticalPathMillis();
		}

	}

	/**
	 * One measured close.
	 *
	 * @param millis wall time of {@code close()}
	 * @param allDisposed whether every bean had been disposed when {@code close()}
	 * returned
	 * @param threadsStarted how many threads the JVM started during {@code close()} (on
	 * JDK 17 each costs a platform thread's start; not affected by the machine's load)
	 */
	record Close(double millis, boolean allDisposed, long threadsStarted) {
	}

}
