package dev.disposables.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code getBean} of a disposable ({@code AutoCloseable}) prototype: stock Spring against the starter at each
 * tracking mode and leak-detection level. The instances are dropped at once, as most callers of a prototype do; with
 * weak tracking the garbage collector and the leak watcher then do their part of the cost, which is included.
 *
 * <p>Strong tracking keeps every instance until shutdown, so its context is closed and replaced after each
 * iteration (outside the measurement) rather than left to grow into an {@code OutOfMemoryError}.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar PrototypeGetBean
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PrototypeGetBeanBenchmark {

	/** Stock Spring, or the starter as {@code <tracking>-<leak level>}; the default is {@code weak-simple}. */
	@Param({ "stock", "weak-simple", "weak-disabled", "weak-advanced", "weak-paranoid", "strong-simple",
			"off-simple" })
	public String config;

	private ConfigurableApplicationContext context;

	@Setup(Level.Iteration)
	public void start() {
		if (this.context == null) {
			this.context = Prototypes.start(this.config, Map.of());
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
		return this.context.getBean(Prototypes.BEAN_NAME);
	}

}
