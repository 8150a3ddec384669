package dev.disposables.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings every JMH benchmark here shares, so that their figures compare: the
 * average time of one call in nanoseconds, one fork, 3 warm-up and 5 measured iterations
 * of one second. JMH reads these annotations from a benchmark's superclass; a subclass
 * declares its own {@code @State} and, where it needs a heap size, its own {@code @Fork}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class NanosecondsBenchmark {

}
