package dev.disposables.benchmarks;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Request latency with a request-scoped bean whose disposal takes 20 ms: the starter,
 * stock Spring ({@code disposables.enabled=false}) and the same endpoint with no disposal
 * at all, three embedded Tomcats in one JVM, loaded in interleaved rounds so that they
 * share the same machine conditions ({@link LatencyRounds}).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.disposables.benchmarks.RequestLatencyBenchmark \
 *     [--concurrency=8] [--warmup=1000] [--rounds=10] [--requests-per-round=500] [--disposal-ms=20] [--smoke]
 * </pre>
 */
public final class RequestLatencyBenchmark {

	static final List<Variant> VARIANTS = List.of(new Variant("starter", true, true),
			new Variant("stock Spring", false, true), new Variant("no disposal", false, false));

	private RequestLatencyBenchmark() {
	}

	/**
	 * Runs the benchmark.
	 * @param args the options, as in the class's description
	 * @throws Exception if it fails
	 */
	public static void main(String[] args) throws Exception {
		run(LatencyRounds.Options.of(new Args(args)), System.out);
	}

	static List<LatencyRounds.Result> run(LatencyRounds.Options options, PrintStream out) throws InterruptedException {
		options.printHeader("Request latency: request-scoped bean disposed in " + options.disposalMillis() + " ms",
				out);
		return LatencyRounds.run(VARIANTS, options, (variant) -> start(variant, options), out);
	}

	private static ConfigurableApplicationContext start(Variant variant, LatencyRounds.Options options) {
		return LatencyRounds.startServer(LatencyApplication.class, WebApplicationType.SERVLET,
				Map.of("disposables.enabled", String.valueOf(variant.starter()), "bench.disposal",
						String.valueOf(variant.disposal()), "bench.disposal-ms",
						String.valueOf(options.disposalMillis())));
	}

	/**
	 * One application under load, all on {@link LatencyApplication}'s {@code /work}.
	 *
	 * @param name the name in reports
	 * @param starter whether the starter is on
	 * @param disposal whether the request-scoped bean has a disposal
	 */
	record Variant(String name, boolean starter, boolean disposal) implements LatencyRounds.Variant {

		@Override
		public String path() {
			return "/work";
		}

	}

}
