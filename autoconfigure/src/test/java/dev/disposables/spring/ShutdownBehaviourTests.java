package dev.disposables.spring;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import dev.disposables.AsyncDisposable;
import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Shutdown as a whole: parallelism, bounds, failures, and exactly-once across every path
 * Spring offers.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownBehaviourTests {

	private final DisposalJournal journal = new DisposalJournal();

	@Test
	void independentBeansAreDisposedConcurrently() {
		AnnotationConfigApplicationContext context = context(Map.of());
		for (int i = 0; i < 100; i++) {
			String name = "bean" + i;
			boolean async = i % 2 == 0;
			context.registerBean(name, Object.class,
					() -> TimedResource.create(name, 100, async, this.journal, List.of()));
		}
		context.refresh();
		long start = System.nanoTime();
		context.close();
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		for (int i = 0; i < 100; i++) {
			assertThat(this.journal.end("bean" + i)).isNotNull();
		}
		// Sequentially this is 100 x 100 ms = 10 s; the generous bound only proves the
		// disposals overlapped.
		assertThat(took).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void failingHangingAndStubbornDisposersAreBoundedReportedAndDoNotStopOthers(CapturedOutput output) {
		AnnotationConfigApplicationContext context = context(
				Map.of("disposables.shutdown.per-resource-timeout", "500ms", "disposables.shutdown.timeout", "3s"));
		context.registerBean("thrower", Thrower.class);
		context.registerBean("neverCompletes", NeverCompletes.class);
		context.registerBean("stubbornSleeper", StubbornSleeper.class);
		for (int i = 0; i < 10; i++) {
			String name = "ok" + i;
			context.registerBean(name, Object.class,
					() -> TimedResource.create(name, 10, false, this.journal, List.of()));
		}
		Map<String, ResourceState> outcomes = new ConcurrentHashMap<>();
		context.refresh();
		context.getBean(DisposableRegistry.class).addListener(new DisposableRegistryListener() {
			@Override
			public void onDisposed(DisposableResource resource, Duration duration, Throwable failure) {
				outcomes.put(resource.beanName(), resource.state());
			}
		});
		long start = System.nanoTime();
		context.close();
		Duration took = Duration.ofNanos(System.nanoTime() - start);

		assertThat(took).isLessThan(Duration.ofSeconds(3).plusMillis(1500));
		for (int i = 0; i < 10; i++) {
			assertThat(outcomes).containsEntry("ok" + i, ResourceState.DISPOSED);
		}
		assertThat(outcomes).containsEntry("thrower", ResourceState.FAILED)
			.containsEntry("neverCompletes", ResourceState.TIMED_OUT)
			.containsEntry("stubbornSleeper", ResourceState.TIMED_OUT);
		assertThat(output).contains("Disposal of bean 'thrower' (" + Thrower.class.getName())
			.contains("Disposal of bean 'neverCompletes' (" + NeverCompletes.class.getName())
			.contains("Disposal of bean 'stubbornSleeper' (" + StubbornSleeper.class.getName())
			.contains("Disposed 10 resources (async 0, sync 10)")
			.contains("1 failed, 2 timed out")
			.doesNotContain(Thrower.SECRET);
	}

	@Test
	void overallDeadlineBoundsCloseEvenWhenEveryDisposerHangs(CapturedOutput output) {
		AnnotationConfigApplicationContext context = context(
				Map.of("disposables.shutdown.per-resource-timeout", "1h", "disposables.shutdown.timeout", "1s"));
		context.registerBean("neverCompletes", NeverCompletes.class);
		context.registerBean("stubbornSleeper", StubbornSleeper.class);
		context.registerBean("waitsForSleeper", Object.class,
				() -> TimedResource.create("waitsForSleeper", 0, false, this.journal, List.of()),
				(definition) -> definition.setDependsOn());
		context.refresh();
		long start = System.nanoTime();
		context.close();
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		// The deadline is 1 s; the margin absorbs scheduling noise on a loaded 2-core
		// machine.
		assertThat(took).isLessThan(Duration.ofMillis(1000 + 1000));
		assertThat(output).contains("2 timed out");
	}

	@Test
	void closingTwiceDisposesOnce() {
		AnnotationConfigApplicationContext context = context(Map.of());
		context.registerBean("bean", Object.class,
				() -> TimedResource.create("bean", 0, true, this.journal, List.of()));
		context.refresh();
		context.close();
		context.close();
		assertThat(this.journal.startCount("bean")).isEqualTo(1);
	}

	@Test
	void stopWithoutCloseDisposesNothing() {
		AnnotationConfigApplicationContext context = context(Map.of());
		context.registerBean("bean", Object.class,
				() -> TimedResource.create("bean", 0, true, this.journal, List.of()));
		context.refresh();
		context.stop();
		assertThat(this.journal.startCount("bean")).isZero();
		context.start();
		context.close();
		assertThat(this.journal.startCount("bean")).isEqualTo(1);
	}

	@Test
	void destroySingletonByHandDisposesOnceAndShutdownDoesNotRepeatIt() {
		AnnotationConfigApplicationContext context = context(Map.of());
		context.registerBean("bean", Object.class,
				() -> TimedResource.create("bean", 0, false, this.journal, List.of()));
		context.refresh();
		context.getDefaultListableBeanFactory().destroySingleton("bean");
		assertThat(this.journal.startCount("bean")).isEqualTo(1);
		context.close();
		assertThat(this.journal.startCount("bean")).isEqualTo(1);
	}

	@Test
	void failedRefreshDisposesWhatWasCreatedOnce() {
		AnnotationConfigApplicationContext context = context(Map.of());
		context.registerBean("bean", Object.class,
				() -> TimedResource.create("bean", 0, true, this.journal, List.of()));
		context.registerBean("broken", Object.class, () -> {
			throw new IllegalStateException("boom");
		}, (definition) -> definition.setDependsOn("bean"));
		assertThatExceptionOfType(BeanCreationException.class).isThrownBy(context::refresh);
		assertThat(this.journal.startCount("bean")).isEqualTo(1);
		assertThat(this.journal.end("bean")).isNotNull();
	}

	@Test
	void beanUsedThroughANonDisposableBeanWaitsForItsIndirectDependent() {
		AnnotationConfigApplicationContext context = context(Map.of());
		context.registerBean("database", Object.class,
				() -> TimedResource.create("database", 0, false, this.journal, List.of()));
		context.registerBean("repository", String.class, () -> "not disposable",
				(definition) -> definition.setDependsOn("database"));
		context.registerBean("service", Object.class,
				() -> TimedResource.create("service", 50, true, this.journal, List.of()),
				(definition) -> definition.setDependsOn("repository"));
		context.refresh();
		context.close();
		assertThat(this.journal.start("database")).isGreaterThan(this.journal.end("service"));
	}

	@Test
	void shutdownParticipantsFinishBeforeTheGraphStarts() {
		AnnotationConfigApplicationContext context = context(Map.of());
		context.registerBean("bean", Object.class,
				() -> TimedResource.create("bean", 0, false, this.journal, List.of()));
		context.refresh();
		context.getBean(DisposableRegistry.class).addShutdownParticipant(() -> {
			this.journal.started("participant");
			return CompletableFuture.runAsync(() -> this.journal.finished("participant"),
					CompletableFuture.delayedExecutor(300, java.util.concurrent.TimeUnit.MILLISECONDS));
		});
		context.close();
		assertThat(this.journal.end("participant")).isNotNull();
		assertThat(this.journal.start("bean")).isGreaterThan(this.journal.end("participant"));
	}

	@Test
	void summaryLineIsLoggedOnce(CapturedOutput output) {
		AnnotationConfigApplicationContext context = context(Map.of());
		context.registerBean("a", Object.class, () -> TimedResource.create("a", 0, true, this.journal, List.of()));
		context.registerBean("b", Object.class, () -> TimedResource.create("b", 0, false, this.journal, List.of()));
		context.refresh();
		context.close();
		assertThat(output).containsOnlyOnce("Disposed 2 resources (async 1, sync 1) in ");
		assertThat(output).contains(": 0 failed, 0 timed out");
	}

	private static AnnotationConfigApplicationContext context(Map<String, Object> properties) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", properties));
		context.register(DisposablesAutoConfiguration.class);
		return context;
	}

	static class Thrower extends Secretive {

		@Override
		public void close() {
			throw new IllegalStateException("flush failed");
		}

	}

	static class NeverCompletes implements AsyncDisposable {

		@Override
		public CompletionStage<Void> disposeAsync() {
			return new CompletableFuture<>();
		}

	}

	static class StubbornSleeper implements AutoCloseable {

		@Override
		public void close() {
			long until = System.nanoTime() + Duration.ofMinutes(10).toNanos();
			while (System.nanoTime() < until) {
				try {
					Thread.sleep(60_000); // ignores interrupts on purpose
				}
				catch (InterruptedException ex) {
					// keep sleeping
				}
			}
		}

	}

}
