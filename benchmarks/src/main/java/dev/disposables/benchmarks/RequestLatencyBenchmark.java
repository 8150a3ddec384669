package dev.disposables.benchmarks;

import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Request latency with a request-scoped bean whose disposal takes 20 ms: the starter,
 * stock Spring ({@code disposables.enabled=false}) and the same endpoint with no disposal
 * at all, three embedded Tomcats in one JVM, loaded in interleaved rounds so that they
 * share the same machine conditions.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.disposables.benchmarks.RequestLatencyBenchmark \
 *     [--concurrency=8] [--warmup=1000] [--rounds=10] [--requests-per-round=500] [--disposal-ms=20] [--smoke]
 * </pre>
 */
public final class RequestLatencyBenchmark {

	private RequestLatencyBenchmark() {
	}

	/**
	 * What to run.
	 *
	 * @param concurrency concurrent callers
	 * @param warmup untimed requests per variant first
	 * @param rounds measured rounds; each round loads every variant once, in rotating
	 * order
	 * @param requestsPerRound requests per variant and round
	 * @param disposalMillis the disposal latency of the request-scoped bean
	 */
	record Options(int concurrency, int warmup, int rounds, int requestsPerRound, long disposalMillis) {

		static Options of(Args args) {
			if (args.flag("smoke")) {
				return new Options(4, 20, 2, 20, 20);
			}
			return new Options(args.integer("concurrency", 8), args.integer("warmup", 1000), args.integer("rounds", 10),
					args.integer("requests-per-round", 500), args.integer("disposal-ms", 20));
		}

	}

	/**
	 * One application under load.
	 *
	 * @param name the name in reports
	 * @param starter whether the starter is on
	 * @param disposal whether the request-scoped bean has a disposal
	 */
	record Variant(String name, boolean starter, boolean disposal) {
	}

	/**
	 * The figures of one variant.
	 *
	 * @param variant the variant
	 * @param latencies every measured request (ms)
	 * @param roundMedians the p50 of each round (ms), for the spread
	 * @param disposed how many request-scoped beans were disposed (after the load has
	 * drained)
	 * @param requests how many requests were sent in all, warm-up included
	 */
	record Result(Variant variant, Stats latencies, Stats roundMedians, int disposed, int requests) {
	}

	static final List<Variant> VARIANTS = List.of(new Variant("starter", true, true),
			new Variant("stock Spring", false, true), new Variant("no disposal", false, false));

	public static void main(String[] args) throws Exception {
		run(Options.of(new Args(args)), System.out);
	}

	static List<Result> run(Options options, PrintStream out) throws InterruptedException {
		out.printf(
				"Request latency: request-scoped bean disposed in %d ms, %d concurrent callers, %d x %d requests "
						+ "per variant after %d warm-up, Java %s, %d CPUs%n",
				options.disposalMillis(), options.concurrency(), options.rounds(), options.requestsPerRound(),
				options.warmup(), Runtime.version(), Runtime.getRuntime().availableProcessors());
		Map<Variant, ConfigurableApplicationContext> apps = new LinkedHashMap<>();
		try (HttpLoad load = new HttpLoad(options.concurrency())) {
			for (Variant variant : VARIANTS) {
				apps.put(variant, start(variant, options));
			}
			for (Variant variant : VARIANTS) {
				load.run(uri(apps.get(variant)), options.warmup());
			}
			Map<Variant, List<double[]>> measured = new LinkedHashMap<>();
			for (int round = 0; round < options.rounds(); round++) {
				for (int i = 0; i < VARIANTS.size(); i++) {
					// Rotate the order so that no variant always runs right after the
					// slow one.
					Variant variant = VARIANTS.get((round + i) % VARIANTS.size());
					measured.computeIfAbsent(variant, (key) -> new ArrayList<>())
						.add(load.run(uri(apps.get(variant)), options.requestsPerRound()));
				}
			}
			List<Result> results = new ArrayList<>();
			for (Variant variant : VARIANTS) {
				results.add(result(variant, measured.get(variant), apps.get(variant), options));
			}
			print(results, out);
			return results;
		}
		finally {
			apps.values().forEach(ConfigurableApplicationContext::close);
		}
	}

	private static Result result(Variant variant, List<double[]> rounds, ConfigurableApplicationContext app,
			Options options) throws InterruptedException {
		int total = rounds.stream().mapToInt((round) -> round.length).sum();
		double[] all = new double[total];
		double[] roundMedians = new double[rounds.size()];
		int offset = 0;
		for (int i = 0; i < rounds.size(); i++) {
			System.arraycopy(rounds.get(i), 0, all, offset, rounds.get(i).length);
			offset += rounds.get(i).length;
			roundMedians[i] = new Stats(rounds.get(i)).median();
		}
		int requests = options.warmup() + total;
		AtomicInteger disposed = app.getBean("disposedCounter", AtomicInteger.class);
		// A disposal moved off the request thread may still be running after the last
		// response.
		long deadline = System.nanoTime() + 5_000_000_000L;
		while (variant.disposal() && disposed.get() < requests && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		return new Result(variant, new Stats(all), new Stats(roundMedians), disposed.get(), requests);
	}

	private static void print(List<Result> results, PrintStream out) {
		double baseline = results.get(results.size() - 1).latencies().median();
		for (Result result : results) {
			Stats latencies = result.latencies();
			out.printf(
					"%-13s p50 %7.2f ms  p99 %7.2f ms  p50 - no-disposal p50 %+7.2f ms  "
							+ "round p50 spread [%.2f-%.2f] ms  disposed %d/%d%n",
					result.variant().name(), latencies.median(), latencies.percentile(99),
					latencies.median() - baseline, result.roundMedians().min(), result.roundMedians().max(),
					result.disposed(), result.variant().disposal() ? result.requests() : 0);
		}
	}

	private static ConfigurableApplicationContext start(Variant variant, Options options) {
		Map<String, Object> properties = Apps.quiet();
		properties.put("server.port", "0");
		properties.put("disposables.enabled", String.valueOf(variant.starter()));
		properties.put("bench.disposal", String.valueOf(variant.disposal()));
		properties.put("bench.disposal-ms", String.valueOf(options.disposalMillis()));
		return new SpringApplicationBuilder(LatencyApplication.class).bannerMode(Banner.Mode.OFF)
			.registerShutdownHook(false)
			.properties(properties)
			.run();
	}

	private static URI uri(ConfigurableApplicationContext app) {
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();
		return URI.create("http://localhost:" + port + "/work");
	}

}
