package dev.disposables.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposableResource;
import org.openjdk.jol.info.ClassLayout;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Bytes the starter retains per weakly tracked prototype while the instance is alive:
 * what the garbage collector copies when the young collection that clears the weak
 * reference runs, so what weak tracking costs a {@code getBean} on a hot path.
 *
 * <p>
 * Two figures: the shallow layout of the tracking object (JOL, {@code ClassLayout}), and
 * the used heap after GC with {@code count} instances held strongly by the benchmark,
 * with the starter (weak tracking, leak detection {@code simple}: the defaults) minus the
 * same with stock Spring, divided by the count. The difference is every byte of tracking:
 * the tracking object, its share of the registry's tables, anything allocated on the
 * side. Each variant runs in a fresh JVM with a fixed heap.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.disposables.benchmarks.FootprintBenchmark [--count=200000] [--smoke]
 * </pre>
 */
public final class FootprintBenchmark {

	private static final String RESULT_PREFIX = "FOOTPRINT ";

	private FootprintBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Args options = new Args(args);
		if (options.string("child", null) != null) {
			Result result = measure(options.string("child", null), options.integer("count", 1000), true);
			ChildJvm.report(RESULT_PREFIX, result.variant(), result.count(), result.retainedBytes(),
					result.shallowBytes());
			return;
		}
		run(options.flag("smoke") ? 2000 : options.integer("count", 200_000), System.out);
	}

	static List<Result> run(int count, PrintStream out) throws IOException, InterruptedException {
		out.printf("Footprint: %,d prototypes held strongly, heap after GC, Java %s%n", count, Runtime.version());
		List<Result> results = new ArrayList<>();
		for (String variant : List.of("stock", "weak-simple")) {
			results.add(fork(variant, count));
		}
		Result stock = results.get(0);
		Result weak = results.get(1);
		out.printf("stock        %7.1f B/instance (the prototype itself)%n", stock.retainedBytes() / (double) count);
		out.printf("weak-simple  %7.1f B/instance%n", weak.retainedBytes() / (double) count);
		out.printf("tracking     %7.1f B/instance retained (difference); tracking object shallow size %d B%n",
				(weak.retainedBytes() - stock.retainedBytes()) / (double) count, weak.shallowBytes());
		return results;
	}

	private static Result fork(String variant, int count) throws IOException, InterruptedException {
		String[] fields = ChildJvm.run(FootprintBenchmark.class,
				List.of("-Xms1g", "-Xmx1g", "-Djol.magicFieldOffset=true"),
				List.of("--child=" + variant, "--count=" + count), RESULT_PREFIX, FootprintBenchmark::isLayout);
		return new Result(fields[0], Integer.parseInt(fields[1]), Long.parseLong(fields[2]), Long.parseLong(fields[3]));
	}

	// The JOL layout of the tracking class, printed by the child.
	private static boolean isLayout(String line) {
		return line.startsWith(" ") || line.contains("OFF  SZ") || line.contains("object internals")
				|| line.startsWith("Instance size") || line.startsWith("Space losses");
	}

	/**
	 * The child's measurement, in this JVM.
	 * @param variant {@code stock} or {@code weak-simple}
	 * @param count how many prototypes to create and hold
	 * @param printLayout whether to print the tracking class's layout
	 * @return the result
	 */
	static Result measure(String variant, int count, boolean printLayout) throws InterruptedException {
		ConfigurableApplicationContext context = Prototypes.start(variant, Map.of());
		try {
			Object[] held = new Object[count];
			for (int i = 0; i < 1000; i++) {
				context.getBean(Prototypes.BEAN_NAME); // warm the path, so that its
														// caches count in the baseline
			}
			long shallow = 0;
			if (!"stock".equals(variant)) {
				Object probe = context.getBean(Prototypes.BEAN_NAME);
				DisposableResource resource = context.getBean(DisposableRegistry.class)
					.findByInstance(probe)
					.orElseThrow();
				ClassLayout layout = ClassLayout.parseInstance(resource);
				shallow = layout.instanceSize();
				if (printLayout) {
					System.out.println(layout.toPrintable());
				}
			}
			long before = ChildJvm.usedHeapAfterGc();
			for (int i = 0; i < count; i++) {
				held[i] = context.getBean(Prototypes.BEAN_NAME);
			}
			long after = ChildJvm.usedHeapAfterGc();
			if (held[count - 1] == null) {
				throw new IllegalStateException("unreachable: keeps the instances alive until here");
			}
			return new Result(variant, count, after - before, shallow);
		}
		finally {
			context.close();
		}
	}

	/**
	 * One measured child JVM.
	 *
	 * @param variant {@code stock} or {@code weak-simple}
	 * @param count instances held
	 * @param retainedBytes used heap after GC with the instances held, minus before they
	 * were created
	 * @param shallowBytes the tracking object's instance size, or 0 for stock Spring
	 */
	record Result(String variant, int count, long retainedBytes, long shallowBytes) {
	}

}
