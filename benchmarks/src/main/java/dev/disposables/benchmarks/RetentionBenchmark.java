package dev.disposables.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.ResourceState;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Retained heap after creating and dropping many disposable prototypes: stock Spring
 * (retains nothing, disposes nothing), the starter with weak tracking (the default) and
 * strong tracking, and the copied {@link DestroyPrototypeBeansPostProcessor} on stock
 * Spring. Each variant and count runs in a fresh JVM with a fixed heap, so that nothing
 * measured before distorts the next figure.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.disposables.benchmarks.RetentionBenchmark \
 *     [--counts=100000,500000,1000000] [--variants=stock,weak,strong,destroy-bpp] [--heap=2g] [--smoke]
 * </pre>
 */
public final class RetentionBenchmark {

	static final List<String> VARIANTS = List.of("stock", "weak", "strong", "destroy-bpp");

	private static final String RESULT_PREFIX = "RETENTION ";

	private RetentionBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Args options = new Args(args);
		if (options.string("child", null) != null) {
			Result result = measure(options.string("child", null), options.integer("count", 1000));
			ChildJvm.report(RESULT_PREFIX, result.variant(), result.count(), result.retainedBytes(), result.leaked());
			return;
		}
		List<Integer> counts = options.flag("smoke") ? List.of(2000)
				: Arrays.stream(options.string("counts", "100000,500000,1000000").split(","))
					.map(Integer::valueOf)
					.toList();
		List<String> variants = List.of(options.string("variants", String.join(",", VARIANTS)).split(","));
		run(counts, variants, options.string("heap", options.flag("smoke") ? "256m" : "2g"), System.out);
	}

	/**
	 * Runs every variant at every count, each in a fresh JVM, and prints the table.
	 * @param counts how many prototypes
	 * @param variants which of {@link #VARIANTS}
	 * @param heap the child JVMs' {@code -Xmx} and {@code -Xms}
	 * @param out where to print
	 * @return the results
	 */
	static List<Result> run(List<Integer> counts, List<String> variants, String heap, PrintStream out)
			throws IOException, InterruptedException {
		out.printf("Retention: prototypes created and dropped, heap after GC, -Xmx%s, Java %s%n", heap,
				Runtime.version());
		List<Result> results = new ArrayList<>();
		for (int count : counts) {
			for (String variant : variants) {
				Result result = fork(variant, count, heap);
				results.add(result);
				out.printf(
						"%-12s %,10d prototypes  retained %,14d bytes (%6.1f MiB, %7.1f B/instance)  "
								+ "reported leaks %,d%n",
						variant, count, result.retainedBytes(), result.retainedBytes() / 1048576.0,
						result.bytesPerInstance(), result.leaked());
			}
		}
		return results;
	}

	private static Result fork(String variant, int count, String heap) throws IOException, InterruptedException {
		String[] fields = ChildJvm.run(RetentionBenchmark.class, List.of("-Xms" + heap, "-Xmx" + heap),
				List.of("--child=" + variant, "--count=" + count), RESULT_PREFIX, (line) -> false);
		return new Result(fields[0], Integer.parseInt(fields[1]), Long.parseLong(fields[2]), Long.parseLong(fields[3]));
	}

	/**
	 * The child's measurement, in this JVM.
	 * @param variant the variant
	 * @param count how many prototypes to create and drop
	 * @return the result
	 */
	static Result measure(String variant, int count) throws InterruptedException {
		ConfigurableApplicationContext context = start(variant);
		try {
			// Warm the path first, so that the classes and caches it loads count in the
			// baseline, not as retention.
			for (int i = 0; i < 1000; i++) {
				context.getBean(Prototypes.BEAN_NAME);
			}
			long before = ChildJvm.usedHeapAfterGc();
			for (int i = 0; i < count; i++) {
				context.getBean(Prototypes.BEAN_NAME);
			}
			long leaked = awaitLeakReports(context, variant, count + 1000);
			long after = ChildJvm.usedHeapAfterGc();
			return new Result(variant, count, after - before, leaked);
		}
		finally {
			context.close();
		}
	}

	private static ConfigurableApplicationContext start(String variant) {
		return switch (variant) {
			case "stock" -> Prototypes.start("stock", Map.of());
			case "weak" -> Prototypes.start("weak-simple", Map.of());
			case "strong" -> Prototypes.start("strong-simple", Map.of());
			case "destroy-bpp" -> Apps.start(false, Map.of(), (context) -> {
				context.registerBean("destroyPrototypeBeansPostProcessor", DestroyPrototypeBeansPostProcessor.class);
				context.registerBean(Prototypes.BEAN_NAME, PrototypeResource.class, PrototypeResource::new,
						(definition) -> definition.setScope("prototype"));
			});
			default -> throw new IllegalArgumentException("Unknown variant " + variant);
		};
	}

	/**
	 * With weak tracking, collected instances are reported by the leak watcher thread;
	 * their bookkeeping is gone only once it has processed them, so wait for it (bounded)
	 * before the measurement.
	 * @param context the measured application
	 * @param variant the variant; only {@code weak} reports leaks
	 * @param expected how many leak reports to wait for
	 * @return how many were reported
	 */
	private static long awaitLeakReports(ConfigurableApplicationContext context, String variant, long expected)
			throws InterruptedException {
		if (!"weak".equals(variant)) {
			return 0;
		}
		DisposableRegistry registry = context.getBean(DisposableRegistry.class);
		long deadline = System.nanoTime() + 30_000_000_000L;
		long leaked = 0;
		while (System.nanoTime() < deadline) {
			System.gc();
			leaked = registry.count("prototype", ResourceState.LEAKED);
			if (leaked >= expected) {
				break;
			}
			Thread.sleep(100);
		}
		return leaked;
	}

	/**
	 * One measured child JVM.
	 *
	 * @param variant the variant
	 * @param count prototypes created and dropped
	 * @param retainedBytes used heap after GC, minus the used heap after GC before the
	 * prototypes were created
	 * @param leaked how many were reported as leaks (weak tracking only)
	 */
	record Result(String variant, int count, long retainedBytes, long leaked) {

		double bytesPerInstance() {
			return this.retainedBytes / (double) this.count;
		}

	}

}
