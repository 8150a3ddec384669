package dev.disposables.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposableResource;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * What {@code GET /actuator/disposables/{id}} costs in the registry:
 * {@link DisposableRegistry#find(long)} of a random live resource among {@code count}
 * (strongly tracked prototypes, so that they all stay live), and
 * {@link DisposableRegistry#findByInstance(Object)} for comparison. Medians of
 * {@code lookups} timed calls.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.disposables.benchmarks.FindByIdBenchmark [--count=100000] \
 *     [--lookups=2000] [--smoke]
 * </pre>
 */
public final class FindByIdBenchmark {

	private FindByIdBenchmark() {
	}

	public static void main(String[] args) {
		Args options = new Args(args);
		boolean smoke = options.flag("smoke");
		int count = smoke ? 1000 : options.integer("count", 100_000);
		int lookups = smoke ? 100 : options.integer("lookups", 2000);
		double[] result = run(count, lookups);
		System.out.printf("find(id) among %,d live resources: median %,.0f ns, max %,.0f ns (%d lookups, Java %s)%n",
				count, result[0], result[1], lookups, Runtime.version());
		System.out.printf("findByInstance among %,d live resources: median %,.0f ns%n", count, result[2]);
	}

	/**
	 * Measures, in this JVM.
	 * @param count how many live resources the registry holds
	 * @param lookups how many lookups are timed
	 * @return median and max nanoseconds of {@code find(id)}, median of
	 * {@code findByInstance}
	 */
	static double[] run(int count, int lookups) {
		ConfigurableApplicationContext context = Prototypes.start("strong-simple", Map.of());
		try {
			Object[] instances = new Object[count];
			for (int i = 0; i < count; i++) {
				instances[i] = context.getBean(Prototypes.BEAN_NAME);
			}
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			Random random = new Random(42);
			long[] ids = new long[lookups];
			Object[] probes = new Object[lookups];
			for (int i = 0; i < lookups; i++) {
				probes[i] = instances[random.nextInt(count)];
				ids[i] = registry.findByInstance(probes[i]).map(DisposableResource::id).orElseThrow();
			}
			double[] byId = new double[lookups];
			double[] byInstance = new double[lookups];
			for (int round = 0; round < 2; round++) { // the first round warms up
				for (int i = 0; i < lookups; i++) {
					long start = System.nanoTime();
					if (registry.find(ids[i]).isEmpty()) {
						throw new IllegalStateException("Resource " + ids[i] + " not found");
					}
					byId[i] = System.nanoTime() - start;
					start = System.nanoTime();
					registry.findByInstance(probes[i]).orElseThrow();
					byInstance[i] = System.nanoTime() - start;
				}
			}
			Arrays.sort(byId);
			Arrays.sort(byInstance);
			List.of(instances); // keeps them reachable until here
			return new double[] { byId[lookups / 2], byId[lookups - 1], byInstance[lookups / 2] };
		}
		finally {
			context.close();
		}
	}

}
