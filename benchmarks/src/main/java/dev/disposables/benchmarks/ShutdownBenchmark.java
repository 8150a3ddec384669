package dev.disposables.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Shutdown of whole applications: N beans whose disposal takes L ms (even-numbered ones {@link SlowAsyncResource},
 * odd-numbered ones {@link SlowSyncResource}), in several dependency shapes, each closed with stock Spring and with
 * the starter, alternating in the same JVM; prints medians, ratios and the critical-path lower bound.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.disposables.benchmarks.ShutdownBenchmark \
 *     [--beans=200] [--latency-ms=50] [--repetitions=5] [--chain-depth=10] [--seed=42] [--smoke]
 * </pre>
 *
 * Only {@code context.close()} is timed; start-up is not.
 */
public final class ShutdownBenchmark {

	/** Completes every async disposal; one thread for all, as an event loop would. */
	private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "benchmark-async-disposal-timer");
		thread.setDaemon(true);
		return thread;
	});

	/** The default of {@code disposables.shutdown.max-concurrency}. */
	private static final int DEFAULT_MAX_CONCURRENCY = 64;

	private ShutdownBenchmark() {
	}

	/**
	 * What to run.
	 * @param beans beans per context
	 * @param latencyMillis disposal latency of each bean
	 * @param repetitions closes per scenario and variant
	 * @param chainDepth the depth of the chain shape
	 * @param seed the random DAG's seed
	 */
	record Options(int beans, long latencyMillis, int repetitions, int chainDepth, long seed) {

		static Options of(Args args) {
			if (args.flag("smoke")) {
				return new Options(8, 5, 1, 3, 42);
			}
			return new Options(args.integer("beans", 200), args.integer("latency-ms", 50),
					args.integer("repetitions", 5), args.integer("chain-depth", 10), args.integer("seed", 42));
		}

	}

	/**
	 * A shape closed with given starter settings.
	 * @param label the name in reports
	 * @param shape the dependencies
	 * @param maxConcurrency {@code disposables.shutdown.max-concurrency}
	 */
	record Scenario(String label, ShutdownShape shape, int maxConcurrency) {

		/** Beans on the longest path, each waiting for the previous one: nothing can close faster. */
		double criticalPathMillis(long latencyMillis) {
			return this.shape.longestPath() * (double) latencyMillis;
		}

		/**
		 * The critical path, or the waves the sync half needs through the bounded pool if that is longer — also a
		 * lower bound, and the tighter one when sync beans outnumber the pool.
		 */
		double capacityBoundMillis(long latencyMillis) {
			int syncBeans = this.shape.size() / 2;
			int waves = (syncBeans + this.maxConcurrency - 1) / this.maxConcurrency;
			return Math.max(this.shape.longestPath(), waves) * (double) latencyMillis;
		}

	}

	/**
	 * The figures of one scenario.
	 * @param scenario what was closed
	 * @param stock close times with stock Spring (ms)
	 * @param starter close times with the starter (ms)
	 * @param allDisposed whether every close disposed every bean
	 * @param latencyMillis the disposal latency
	 */
	record Result(Scenario scenario, Stats stock, Stats starter, boolean allDisposed, long latencyMillis) {

		double ratio() {
			return this.stock.median() / this.starter.median();
		}

		double overCriticalPath() {
			return this.starter.median() / this.scenario.criticalPathMillis(this.latencyMillis);
		}

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
		List<Scenario> scenarios = List.of(
				new Scenario("independent", ShutdownShape.independent(options.beans()), DEFAULT_MAX_CONCURRENCY),
				new Scenario("independent, max-concurrency=" + options.beans(),
						ShutdownShape.independent(options.beans()), options.beans()),
				new Scenario("chain", ShutdownShape.chain(options.beans(), options.chainDepth()),
						DEFAULT_MAX_CONCURRENCY),
				new Scenario("random DAG", ShutdownShape.randomDag(options.beans(), options.seed()),
						DEFAULT_MAX_CONCURRENCY));
		out.printf("Shutdown: %d beans x %d ms (half async, half sync), %d repetitions, Java %s, %d CPUs%n",
				options.beans(), options.latencyMillis(), options.repetitions(), Runtime.version(),
				Runtime.getRuntime().availableProcessors());
		// One untimed close per variant first: class loading and JIT of the close path are not what is measured.
		closeMillis(false, scenarios.get(0), options);
		closeMillis(true, scenarios.get(0), options);
		List<Result> results = new ArrayList<>();
		for (Scenario scenario : scenarios) {
			double[] stock = new double[options.repetitions()];
			double[] starter = new double[options.repetitions()];
			boolean allDisposed = true;
			for (int rep = 0; rep < options.repetitions(); rep++) {
				// Alternate which goes first, so that drift on a shared machine does not favour one side.
				boolean starterFirst = rep % 2 == 1;
				Close first = closeMillis(starterFirst, scenario, options);
				Close second = closeMillis(!starterFirst, scenario, options);
				stock[rep] = starterFirst ? second.millis() : first.millis();
				starter[rep] = starterFirst ? first.millis() : second.millis();
				allDisposed &= first.allDisposed() && second.allDisposed();
			}
			Result result = new Result(scenario, new Stats(stock), new Stats(starter), allDisposed,
					options.latencyMillis());
			results.add(result);
			print(result, out);
		}
		return results;
	}

	private static void print(Result result, PrintStream out) {
		Scenario scenario = result.scenario();
		long latency = result.latencyMillis();
		out.printf("%-34s stock %8.1f ms [%.1f-%.1f]  starter %7.1f ms [%.1f-%.1f]  ratio %6.1fx  "
				+ "critical path %6.1f ms (%d beans, %d edges)  starter/critical %.2fx  "
				+ "bound with max-concurrency %.1f ms  all disposed: %s%n", scenario.label(), result.stock().median(),
				result.stock().min(), result.stock().max(), result.starter().median(), result.starter().min(),
				result.starter().max(), result.ratio(), scenario.criticalPathMillis(latency),
				scenario.shape().longestPath(), scenario.shape().edges(), result.overCriticalPath(),
				scenario.capacityBoundMillis(latency), result.allDisposed());
	}

	/**
	 * One measured close.
	 * @param millis wall time of {@code close()}
	 * @param allDisposed whether every bean had been disposed when {@code close()} returned
	 */
	record Close(double millis, boolean allDisposed) {
	}

	static Close closeMillis(boolean starter, Scenario scenario, Options options) {
		AtomicInteger disposed = new AtomicInteger();
		ShutdownShape shape = scenario.shape();
		ConfigurableApplicationContext context = Apps.start(starter,
				Map.of("disposables.shutdown.max-concurrency", scenario.maxConcurrency()),
				(registry) -> registerBeans(registry, shape, options.latencyMillis(), disposed));
		long start = System.nanoTime();
		context.close();
		double millis = (System.nanoTime() - start) / 1e6;
		return new Close(millis, disposed.get() == shape.size());
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

}
