package dev.disposables.benchmarks;

import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The driver the latency benchmarks share: one embedded server per variant in this JVM, a
 * warm-up, then interleaved rounds in rotating order so that every variant shares the
 * same machine conditions, and one line of figures per variant. What differs between the
 * benchmarks (the application, the endpoint, the variants) is given by a {@link Variant}.
 */
final class LatencyRounds {

	private LatencyRounds() {
	}

	/**
	 * Runs every variant and prints one line each, the last variant being the baseline.
	 * @param <V> the type of variant
	 * @param variants the variants, the baseline last
	 * @param options what to run
	 * @param start starts a variant's application (an embedded server on a random port)
	 * @param out where to print
	 * @return the figures, in the order of the variants
	 * @throws InterruptedException if interrupted while waiting for the disposals
	 */
	static <V extends Variant> List<Result> run(List<V> variants, Options options,
			Function<V, ConfigurableApplicationContext> start, PrintStream out) throws InterruptedException {
		Map<V, ConfigurableApplicationContext> apps = new LinkedHashMap<>();
		try (HttpLoad load = new HttpLoad(options.concurrency())) {
			for (V variant : variants) {
				apps.put(variant, start.apply(variant));
			}
			for (V variant : variants) {
				load.run(uri(apps.get(variant), variant), options.warmup());
			}
			Map<V, List<double[]>> measured = new LinkedHashMap<>();
			for (int round = 0; round < options.rounds(); round++) {
				for (int i = 0; i < variants.size(); i++) {
					// Rotate the order so that no variant always runs right after the
					// slow one.
					V variant = variants.get((round + i) % variants.size());
					measured.computeIfAbsent(variant, (key) -> new ArrayList<>())
						.add(load.run(uri(apps.get(variant), variant), options.requestsPerRound()));
				}
			}
			List<Result> results = new ArrayList<>();
			for (V variant : variants) {
				results.add(result(variant, measured.get(variant), apps.get(variant), options));
			}
			print(results, out);
			return results;
		}
		finally {
			apps.values().forEach(ConfigurableApplicationContext::close);
		}
	}

	/**
	 * Starts a variant's application: an embedded server on a random port, quiet, with no
	 * shutdown hook (the driver closes it).
	 * @param application the application class
	 * @param type the web stack (both are on this module's class path, so it is chosen
	 * explicitly)
	 * @param properties the variant's properties
	 * @return the running application
	 */
	static ConfigurableApplicationContext startServer(Class<?> application, WebApplicationType type,
			Map<String, Object> properties) {
		Map<String, Object> all = Apps.quiet();
		all.put("server.port", "0");
		all.putAll(properties);
		return new SpringApplicationBuilder(application).web(type)
			.bannerMode(Banner.Mode.OFF)
			.registerShutdownHook(false)
			.properties(all)
			.run();
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
		// A disposal moved off the request thread or the event loop may still be running
		// after the last response.
		long deadline = System.nanoTime() + 5_000_000_000L;
		while (variant.disposal() && disposed.get() < requests && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		return new Result(variant, new Stats(all), new Stats(roundMedians), disposed.get(), requests);
	}

	private static void print(List<Result> results, PrintStream out) {
		int width = results.stream().mapToInt((result) -> result.variant().name().length()).max().orElse(1);
		double baseline = results.get(results.size() - 1).latencies().median();
		for (Result result : results) {
			Stats latencies = result.latencies();
			out.printf(
					"%-" + width + "s  p50 %7.2f ms  p99 %7.2f ms  p50 - no-disposal p50 %+7.2f ms  "
							+ "round p50 spread [%.2f-%.2f] ms  disposed %d/%d%n",
					result.variant().name(), latencies.median(), latencies.percentile(99),
					latencies.median() - baseline, result.roundMedians().min(), result.roundMedians().max(),
					result.disposed(), result.variant().disposal() ? result.requests() : 0);
		}
	}

	private static URI uri(ConfigurableApplicationContext app, Variant variant) {
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();
		return URI.create("http://localhost:" + port + variant.path());
	}

	/**
	 * What to run.
	 *
	 * @param concurrency concurrent callers
	 * @param warmup untimed requests per variant first
	 * @param rounds measured rounds; each round loads every variant once, in rotating
	 * order
	 * @param requestsPerRound requests per variant and round
	 * @param disposalMillis the disposal latency of the resource each request uses
	 */
	record Options(int concurrency, int warmup, int rounds, int requestsPerRound, long disposalMillis) {

		static Options of(Args args) {
			if (args.flag("smoke")) {
				return new Options(4, 20, 2, 20, 20);
			}
			return new Options(args.integer("concurrency", 8), args.integer("warmup", 1000), args.integer("rounds", 10),
					args.integer("requests-per-round", 500), args.integer("disposal-ms", 20));
		}

		/**
		 * Prints the run's header line.
		 * @param title what is measured
		 * @param out where to print
		 */
		void printHeader(String title, PrintStream out) {
			out.printf("%s, %d concurrent callers, %d x %d requests per variant after %d warm-up, Java %s, %d CPUs%n",
					title, this.concurrency, this.rounds, this.requestsPerRound, this.warmup, Runtime.version(),
					Runtime.getRuntime().availableProcessors());
		}

	}

	/**
	 * One application under load. Its application context has an {@link AtomicInteger}
	 * bean {@code disposedCounter} that counts the disposals.
	 */
	interface Variant {

		/**
		 * The name in reports.
		 * @return the name
		 */
		String name();

		/**
		 * The endpoint loaded.
		 * @return the path, with a leading slash
		 */
		String path();

		/**
		 * Whether the resource each request uses has a disposal.
		 * @return whether it has one
		 */
		boolean disposal();

	}

	/**
	 * The figures of one variant.
	 *
	 * @param variant the variant
	 * @param latencies every measured request (ms)
	 * @param roundMedians the p50 of each round (ms), for the spread
	 * @param disposed how many resources were disposed (after the load has drained)
	 * @param requests how many requests were sent in all, warm-up included
	 */
	record Result(Variant variant, Stats latencies, Stats roundMedians, int disposed, int requests) {
	}

}
