package dev.disposables.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * How the shutdown graph scales: many trivial resources, closed with stock Spring and
 * with the starter, alternating in the same JVM; prints medians and the ratio to stock.
 * Shapes: N live prototypes {@code Outer}, each injected with its own prototype
 * {@code Inner} (stock Spring destroys neither; the starter disposes both); 10,000
 * independent singletons; a 5,000-deep chain of singletons. Every {@code close()} is
 * trivial: what is measured is the engine's own cost per resource.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.disposables.benchmarks.GraphScaleBenchmark \
 *     [--nested=1000,4000,16000] [--singletons=10000] [--chain=5000] [--repetitions=5] [--smoke]
 * </pre>
 *
 * Only {@code context.close()} is timed; start-up is not.
 */
public final class GraphScaleBenchmark {

	/** Closes counted by the resources; one context at a time. */
	private static final AtomicInteger DISPOSED = new AtomicInteger();

	private GraphScaleBenchmark() {
	}

	public static void main(String[] args) {
		run(Options.of(new Args(args)), System.out);
	}

	/**
	 * Runs every shape and prints the table.
	 * @param options what to run
	 * @param out where to print
	 * @return the results
	 */
	static List<Result> run(Options options, PrintStream out) {
		List<Shape> shapes = new ArrayList<>();
		for (int nested : options.nested()) {
			shapes.add(new Shape("nested prototypes " + nested, Kind.NESTED, nested));
		}
		if (options.singletons() > 0) {
			shapes.add(
					new Shape("independent singletons " + options.singletons(), Kind.SINGLETONS, options.singletons()));
		}
		if (options.chain() > 0) {
			shapes.add(new Shape("chain " + options.chain(), Kind.CHAIN, options.chain()));
		}
		out.printf("Graph scale: trivial close(), %d repetitions, Java %s, %d CPUs, load average %.2f%n",
				options.repetitions(), Runtime.version(), Runtime.getRuntime().availableProcessors(),
				java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		if (options.repetitions() > 1) {
			// Class loading and JIT of the close path are not what is measured.
			close(false, shapes.get(0));
			close(true, shapes.get(0));
		}
		List<Result> results = new ArrayList<>();
		for (Shape shape : shapes) {
			double[] stock = new double[options.repetitions()];
			double[] starter = new double[options.repetitions()];
			boolean allDisposed = true;
			for (int rep = 0; rep < options.repetitions(); rep++) {
				// Alternate which goes first, so that drift on a shared machine does not
				// favour one side.
				boolean starterFirst = rep % 2 == 1;
				Close first = close(starterFirst, shape);
				Close second = close(!starterFirst, shape);
				stock[rep] = starterFirst ? second.millis() : first.millis();
				starter[rep] = starterFirst ? first.millis() : second.millis();
				Close starterClose = starterFirst ? first : second;
				allDisposed &= starterClose.disposed() == shape.resources();
			}
			Result result = new Result(shape, new Stats(stock), new Stats(starter), allDisposed);
			results.add(result);
			out.printf(
					"%-32s stock %8.1f ms [%.1f-%.1f]  starter %8.1f ms [%.1f-%.1f]  starter/stock %5.2fx  "
							+ "(%d resources, all disposed by the starter: %s)%n",
					shape.label(), result.stock().median(), result.stock().min(), result.stock().max(),
					result.starter().median(), result.starter().min(), result.starter().max(), result.ratio(),
					shape.resources(), allDisposed);
		}
		return results;
	}

	static Close close(boolean starter, Shape shape) {
		DISPOSED.set(0);
		ConfigurableApplicationContext context = Apps.start(starter,
				Map.of("disposables.prototypes.tracking", "strong"), (registry) -> register(registry, shape));
		List<Object> held = new ArrayList<>();
		if (shape.kind() == Kind.NESTED) {
			for (int i = 0; i < shape.size(); i++) {
				held.add(context.getBean("outer")); // live: the application holds them
			}
		}
		long start = System.nanoTime();
		context.close();
		double millis = (System.nanoTime() - start) / 1e6;
		held.clear();
		return new Close(millis, DISPOSED.get());
	}

	private static void register(GenericApplicationContext context, Shape shape) {
		switch (shape.kind()) {
			case NESTED -> {
				context.registerBean("inner", Inner.class,
						(definition) -> definition.setScope(ConfigurableBeanFactory.SCOPE_PROTOTYPE));
				// Constructor injection, so that Spring records outer as a dependent of
				// inner, as in an application.
				context.registerBean("outer", Outer.class,
						(definition) -> definition.setScope(ConfigurableBeanFactory.SCOPE_PROTOTYPE));
			}
			case SINGLETONS -> {
				for (int i = 0; i < shape.size(); i++) {
					context.registerBean("resource" + i, Inner.class, Inner::new);
				}
			}
			case CHAIN -> {
				for (int i = 0; i < shape.size(); i++) {
					String[] dependsOn = (i > 0) ? new String[] { "resource" + (i - 1) } : new String[0];
					context.registerBean("resource" + i, Inner.class, Inner::new,
							(definition) -> definition.setDependsOn(dependsOn));
				}
			}
		}
	}

	/** What a shape is made of. */
	enum Kind {

		/** N prototypes {@code Outer}, each with its own prototype {@code Inner}. */
		NESTED,

		/** N independent singletons. */
		SINGLETONS,

		/** N singletons, each depending on the previous one. */
		CHAIN

	}

	/**
	 * What to run.
	 *
	 * @param nested the numbers of nested prototypes
	 * @param singletons the number of independent singletons
	 * @param chain the depth of the chain
	 * @param repetitions closes per shape and variant
	 */
	record Options(List<Integer> nested, int singletons, int chain, int repetitions) {

		static Options of(Args args) {
			if (args.flag("smoke")) {
				return new Options(List.of(10, 20), 20, 20, 1);
			}
			List<Integer> nested = new ArrayList<>();
			for (String size : args.string("nested", "1000,4000,16000").split(",")) {
				if (!size.isBlank()) {
					nested.add(Integer.parseInt(size.trim()));
				}
			}
			return new Options(nested, args.integer("singletons", 10_000), args.integer("chain", 5_000),
					args.integer("repetitions", 5));
		}

	}

	/**
	 * A shape of a given size.
	 *
	 * @param label the name in reports
	 * @param kind what it is made of
	 * @param size how many beans (singletons, chain) or {@code Outer} instances
	 */
	record Shape(String label, Kind kind, int size) {

		/**
		 * How many resources the starter disposes.
		 * @return the number of resources
		 */
		int resources() {
			return (this.kind == Kind.NESTED) ? 2 * this.size : this.size;
		}

	}

	/**
	 * The figures of one shape.
	 *
	 * @param shape what was closed
	 * @param stock close times with stock Spring (ms)
	 * @param starter close times with the starter (ms)
	 * @param allDisposed whether every starter close disposed every resource
	 */
	record Result(Shape shape, Stats stock, Stats starter, boolean allDisposed) {

		double ratio() {
			return this.starter.median() / this.stock.median();
		}

	}

	/**
	 * One measured close.
	 *
	 * @param millis wall time of {@code close()}
	 * @param disposed how many resources were closed when {@code close()} returned
	 */
	record Close(double millis, int disposed) {
	}

	/** A trivial resource. */
	static final class Inner implements AutoCloseable {

		@Override
		public void close() {
			DISPOSED.incrementAndGet();
		}

	}

	/** A trivial resource that holds its own {@link Inner}. */
	static final class Outer implements AutoCloseable {

		private final Inner inner;

		Outer(Inner inner) {
			this.inner = inner;
		}

		Inner inner() {
			return this.inner;
		}

		@Override
		public void close() {
			DISPOSED.incrementAndGet();
		}

	}

}
