package dev.disposables.benchmarks;

import java.lang.ref.Cleaner;
import java.util.Map;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code getBean} of a disposable ({@code AutoCloseable}) prototype: stock Spring against
 * the starter at each tracking mode and leak-detection level. The instances are dropped
 * at once, as most callers of a prototype do; with weak tracking the garbage collector
 * and the leak watcher then do their part of the cost, which is included.
 *
 * <p>
 * {@code stock-cleaner} is a floor, not a product configuration: stock Spring plus the
 * least any per-instance tracking that sees each instance's collection can cost, one
 * {@link Cleaner} registration (a phantom reference in the JDK's own linked list, drained
 * by the cleaner's thread). Whatever the starter does per instance on top of its weak
 * reference is the difference between it and this.
 *
 * <p>
 * Strong tracking keeps every instance until shutdown, so its context is closed and
 * replaced after each iteration (outside the measurement) rather than left to grow into
 * an {@code OutOfMemoryError}.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar PrototypeGetBean
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class PrototypeGetBeanBenchmark extends NanosecondsBenchmark {

	/**
	 * Stock Spring, or the starter as
	 * {@code <tracking>-<leak level>[-s<prototype sampling interval>]}; the default is
	 * {@code weak-simple}.
	 */
	@Param({ "stock", "stock-cleaner", "weak-simple", "weak-simple-s64", "weak-disabled", "weak-advanced",
			"weak-paranoid", "strong-simple", "off-simple" })
	public String config;

	private static final Cleaner cleaner = Cleaner.create();

	private static final Runnable nothing = () -> {
	};

	private ConfigurableApplicationContext context;

	private boolean withCleaner;

	@Setup(Level.Iteration)
	public void start() {
		if (this.context == null) {
			this.withCleaner = this.config.equals("stock-cleaner");
			this.context = Prototypes.start(this.withCleaner ? "stock" : this.config, Map.of());
		}
	}

	@TearDown(Level.Iteration)
	public void releaseStronglyTracked() {
		if (this.config.startsWith("strong")) {
			stop();
		}
	}

	@TearDown(Level.Trial)
	public void stop() {
		if (this.context != null) {
			this.context.close();
			this.context = null;
		}
	}

	@Benchmark
	public Object getBean() {
		Object bean = this.context.getBean(Prototypes.BEAN_NAME);
		if (this.withCleaner) {
			cleaner.register(bean, nothing);
		}
		return bean;
	}

}
