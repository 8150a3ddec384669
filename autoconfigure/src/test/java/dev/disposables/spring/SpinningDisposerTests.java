package dev.disposables.spring;

import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Disposers that busy-spin and ignore interrupts hold a thread the starter cannot take
 * back. On a machine with few cores they must still never hold up independent beans: with
 * virtual threads, two spinning disposers once occupied every carrier thread, and nothing
 * else ran until the deadline.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpinningDisposerTests {

	private static final int GOOD = 20;

	@Test
	void twoSpinningDisposersHoldUpNoIndependentBean(CapturedOutput output) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("test",
					Map.of("disposables.shutdown.timeout", "5s", "disposables.shutdown.per-resource-timeout", "1s")));
		context.register(DisposablesAutoConfiguration.class);
		context.registerBean("spinning1", Spinning.class);
		context.registerBean("spinning2", Spinning.class);
		IntStream.range(0, GOOD).forEach((i) -> context.registerBean("good" + i, Good.class));
		context.refresh();
		BoundedShutdownTests.Outcomes outcomes = new BoundedShutdownTests.Outcomes();
		outcomes.listenTo(context);
		long start = System.nanoTime();
		context.close();
		Duration took = Duration.ofNanos(System.nanoTime() - start);

		IntStream.range(0, GOOD)
			.forEach((i) -> assertThat(outcomes.states).as("good%d", i)
				.containsEntry("good" + i, ResourceState.DISPOSED));
		assertThat(outcomes.states).containsEntry("spinning1", ResourceState.TIMED_OUT)
			.containsEntry("spinning2", ResourceState.TIMED_OUT);
		assertThat(took).as("bounded by the 1 s per-resource timeout, not the 5 s deadline")
			.isLessThan(Duration.ofMillis(4000));
		String warning = output.getOut()
			.lines()
			.filter((line) -> line.contains("ignore interrupts"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no warning about disposers that ignore interrupts"));
		assertThat(warning).contains("2 abandoned disposal(s)")
			.contains("bean 'spinning1'")
			.contains("bean 'spinning2'")
			.doesNotContain("'good");
	}

	static class Good implements AutoCloseable {

		@Override
		public void close() {
		}

	}

	/** Busy-spins, ignoring interrupts, for longer than the deadline: never yields. */
	static class Spinning implements AutoCloseable {

		static volatile long sink;

		@Override
		public void close() {
			long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
			long spins = 0;
			while (System.nanoTime() < until) {
				spins++;
			}
			sink = spins;
		}

	}

}
