package dev.disposables.benchmarks;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Exchange latency in WebFlux with a per-exchange resource whose disposal takes 20 ms:
 * the starter (a prototype owned by the exchange's {@code DisposalScope}), stock Spring
 * with the hand-written blocking {@code doFinally} cleanup such code usually has, the
 * starter with a resource that needs no disposal (the cost of the exchange's scope
 * alone), and the same endpoint with no disposal on stock Spring — four Netty servers in
 * one JVM, loaded in interleaved rounds so that they share the same machine conditions
 * ({@link LatencyRounds}).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.disposables.benchmarks.WebFluxLatencyBenchmark \
 *     [--concurrency=8] [--warmup=1000] [--rounds=10] [--requests-per-round=500] [--disposal-ms=20] [--smoke]
 * </pre>
 */
public final class WebFluxLatencyBenchmark {

	// The third one separates the cost of the exchange's scope itself from that of the
	// disposal; the baseline is last.
	static final List<Variant> VARIANTS = List.of(new Variant("starter", "/starter", true, true),
			new Variant("stock doFinally", "/stock", false, true),
			new Variant("starter, plain", "/starter-plain", true, false),
			new Variant("no disposal", "/none", false, false));

	private WebFluxLatencyBenchmark() {
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
		options.printHeader(
				"WebFlux exchange latency: per-exchange resource disposed in " + options.disposalMillis() + " ms", out);
		return LatencyRounds.run(VARIANTS, options, (variant) -> start(variant, options), out);
	}

	private static ConfigurableApplicationContext start(Variant variant, LatencyRounds.Options options) {
		return LatencyRounds.startServer(WebFluxLatencyApplication.class, WebApplicationType.REACTIVE,
				Map.of("disposables.enabled", String.valueOf(variant.starter()), "bench.disposal-ms",
						String.valueOf(options.disposalMillis())));
	}

	/**
	 * One application under load.
	 *
	 * @param name the name in reports
	 * @param path the endpoint of {@link WebFluxLatencyApplication}
	 * @param starter whether the starter is on
	 * @param disposal whether the resource has a disposal
	 */
	record Variant(String name, String path, boolean starter, boolean disposal) implements LatencyRounds.Variant {
	}

}
