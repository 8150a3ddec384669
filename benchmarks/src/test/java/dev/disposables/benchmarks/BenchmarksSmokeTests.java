package dev.disposables.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every benchmark once with tiny sizes, so that they keep working as the engine
 * changes. Only that each ran and produced sane output is checked: speed is shown in
 * docs/benchmarks.md, never asserted in a test.
 */
class BenchmarksSmokeTests {

	private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

	private final PrintStream out = new PrintStream(this.printed, true, StandardCharsets.UTF_8);

	@Test
	void shutdown() {
		List<ShutdownBenchmark.Result> results = ShutdownBenchmark
			.run(ShutdownBenchmark.Options.of(new Args(new String[] { "--smoke" })), this.out);
		assertThat(results).hasSize(7).allSatisfy((result) -> {
			assertThat(result.allDisposed()).isTrue();
			assertThat(result.stock().count()).isEqualTo(1);
			assertThat(result.starter().median()).isPositive();
		});
		assertThat(printed()).contains("independent", "ready-threads=", "chain", "random DAG", "critical path",
				"threads started");
	}

	@Test
	void ordinaryShutdown() throws Exception {
		OrdinaryShutdownBenchmark.Result result = OrdinaryShutdownBenchmark
			.run(OrdinaryShutdownBenchmark.Options.of(new Args(new String[] { "--smoke" })), this.out);
		// Both applications answered, were stopped by SIGTERM and exited cleanly.
		assertThat(result.stock().count()).isEqualTo(1);
		assertThat(result.starter().median()).isPositive();
		assertThat(printed()).contains("SIGTERM to exit", "starter - stock", "target");
	}

	@Test
	void graphScale() {
		List<GraphScaleBenchmark.Result> results = GraphScaleBenchmark
			.run(GraphScaleBenchmark.Options.of(new Args(new String[] { "--smoke" })), this.out);
		assertThat(results).hasSize(4).allSatisfy((result) -> {
			assertThat(result.allDisposed()).isTrue();
			assertThat(result.starter().median()).isPositive();
		});
		assertThat(printed()).contains("nested prototypes", "independent singletons", "chain", "starter/stock");
	}

	@Test
	void libraryShutdown() throws Exception {
		List<LibraryShutdownBenchmark.Result> results = LibraryShutdownBenchmark
			.run(LibraryShutdownBenchmark.Options.of(new Args(new String[] { "--smoke" })), this.out);
		assertThat(results).hasSize(2).allSatisfy((result) -> assertThat(result.closes()).hasSize(1));
		LibraryShutdownBenchmark.Close starter = results.get(1).closes().get(0);
		// Facts, not speed: with the starter nothing of these libraries is left running
		// when close() returns.
		assertThat(starter.grpcCallInFlight()).isFalse();
		assertThat(starter.grpcTerminated()).isTrue();
		assertThat(starter.nettyTerminated()).isTrue();
		assertThat(starter.poolDisposed()).isTrue();
		assertThat(printed()).contains("stock Spring", "starter", "library threads alive");
	}

	@Test
	void requestLatency() throws Exception {
		LatencyRounds.Options options = LatencyRounds.Options.of(new Args(new String[] { "--smoke" }));
		List<LatencyRounds.Result> results = RequestLatencyBenchmark.run(options, this.out);
		assertThat(results).hasSize(3).allSatisfy((result) -> {
			assertThat(result.latencies().count()).isEqualTo(options.rounds() * options.requestsPerRound());
			assertThat(result.latencies().median()).isPositive();
			// Every request's bean is disposed, by whichever side manages it; none exist
			// without disposal.
			assertThat(result.disposed()).isEqualTo(result.variant().disposal() ? result.requests() : 0);
		});
		assertThat(printed()).contains("starter", "stock Spring", "no disposal", "p99");
	}

	@Test
	void webFluxLatency() throws Exception {
		LatencyRounds.Options options = LatencyRounds.Options.of(new Args(new String[] { "--smoke" }));
		List<LatencyRounds.Result> results = WebFluxLatencyBenchmark.run(options, this.out);
		assertThat(results).hasSize(4).allSatisfy((result) -> {
			assertThat(result.latencies().count()).isEqualTo(options.rounds() * options.requestsPerRound());
			assertThat(result.latencies().median()).isPositive();
			// Every exchange's resource is disposed, by the starter or by the
			// hand-written doFinally.
			assertThat(result.disposed()).isEqualTo(result.variant().disposal() ? result.requests() : 0);
		});
		assertThat(printed()).contains("starter", "stock doFinally", "starter, plain", "no disposal", "p99");
	}

	@Test
	void retention() throws Exception {
		// In this JVM rather than forked per variant: the measurement is the same code,
		// and four JVM start-ups
		// would dominate the smoke run.
		for (String variant : RetentionBenchmark.VARIANTS) {
			RetentionBenchmark.Result result = RetentionBenchmark.measure(variant, 2000);
			assertThat(result.count()).isEqualTo(2000);
			if (variant.equals("weak")) {
				assertThat(result.leaked()).as("every dropped prototype is reported as a leak").isEqualTo(3000);
			}
		}
	}

	@Test
	void footprint() throws Exception {
		for (String variant : new String[] { "stock", "weak-simple" }) {
			FootprintBenchmark.Result result = FootprintBenchmark.measure(variant, 2000, false);
			assertThat(result.count()).isEqualTo(2000);
			if (variant.equals("weak-simple")) {
				assertThat(result.shallowBytes()).as("the tracking object's layout was read").isPositive();
			}
		}
	}

	@Test
	void findById() {
		double[] nanos = FindByIdBenchmark.run(1000, 100);
		assertThat(nanos[0]).isPositive();
		assertThat(nanos[2]).isPositive();
	}

	@Test
	void jmhBenchmarks() throws Exception {
		// The lock keeps two measuring JMH runs apart; this run measures nothing, so
		// another engineer's benchmark running on the machine must not fail it.
		System.setProperty("jmh.ignoreLock", "true");
		Options options = new OptionsBuilder().include(PrototypeGetBeanBenchmark.class.getName())
			.include(CoreBenchmark.class.getName())
			.include(ScopedProxyBenchmark.class.getName())
			.forks(0)
			.warmupIterations(0)
			.measurementIterations(1)
			.measurementTime(TimeValue.milliseconds(100))
			.verbosity(VerboseMode.SILENT)
			.build();
		Collection<RunResult> results = new Runner(options).run();
		// 9 prototype configurations, 3 core benchmarks x 3 member counts, 4 scoped proxy
		// configurations.
		assertThat(results).hasSize(22)
			.allSatisfy((result) -> assertThat(result.getPrimaryResult().getScore()).isPositive());
	}

	private String printed() {
		return this.printed.toString(StandardCharsets.UTF_8);
	}

}
