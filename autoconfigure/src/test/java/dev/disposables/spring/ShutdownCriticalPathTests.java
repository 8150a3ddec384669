package dev.disposables.spring;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shutdown report names the chain of disposals that decided how long the shutdown
 * took, and the slowest ones; the critical path is logged at INFO above the threshold,
 * not otherwise.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownCriticalPathTests {

	private final DisposalJournal journal = new DisposalJournal();

	@Test
	void criticalPathIsTheChainThatEndedLastAndSlowestAreRanked(CapturedOutput output) {
		AnnotationConfigApplicationContext context = chainAndLoner(Map.of());
		DisposablesLifecycle lifecycle = context.getBean(DisposablesLifecycle.class);
		context.close();

		ShutdownReport report = lifecycle.report();
		assertThat(report).isNotNull();
		// front depends on middle, which depends on back: front is disposed first, back
		// last
		assertThat(report.criticalPath()).extracting(DisposalTiming::beanName)
			.containsExactly("front", "middle", "back");
		assertThat(report.criticalPath()).extracting(DisposalTiming::waitedFor)
			.containsExactly(null, "front", "middle");
		assertThat(report.criticalPath()).extracting(DisposalTiming::mode)
			.containsExactly(DisposalMode.ASYNC, DisposalMode.SYNC, DisposalMode.ASYNC);
		assertThat(report.criticalPath()).allSatisfy((timing) -> {
			assertThat(timing.outcome()).isEqualTo(ResourceState.DISPOSED);
			assertThat(timing.type()).startsWith(TimedResource.class.getName());
			assertThat(timing.scope()).isEqualTo("singleton");
		});
		DisposalTiming front = report.criticalPath().get(0);
		DisposalTiming middle = report.criticalPath().get(1);
		DisposalTiming back = report.criticalPath().get(2);
		assertThat(front.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(middle.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
		assertThat(back.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(250));
		// each link started once the one it waited for had ended
		assertThat(middle.startedAt()).isGreaterThanOrEqualTo(front.endedAt().minusMillis(1));
		assertThat(back.startedAt()).isGreaterThanOrEqualTo(middle.endedAt().minusMillis(1));
		assertThat(back.endedAt()).isLessThanOrEqualTo(report.duration());

		assertThat(report.slowest()).hasSizeLessThanOrEqualTo(ShutdownReport.SLOWEST_LIMIT);
		assertThat(report.slowest()).extracting(DisposalTiming::beanName)
			.startsWith("loner")
			.contains("front", "middle", "back");
		assertThat(report.slowest()).extracting(DisposalTiming::duration).isSortedAccordingTo((a, b) -> b.compareTo(a));

		// the default threshold is 1 s: this shutdown (about 750 ms) logs its critical
		// path at DEBUG only
		assertThat(output).contains(report.summary()).doesNotContain("Shutdown critical path");
	}

	@Test
	void aboveTheThresholdTheCriticalPathIsLoggedAtInfoAfterTheSummary(CapturedOutput output) {
		AnnotationConfigApplicationContext context = chainAndLoner(
				Map.of("disposables.shutdown.critical-path-threshold", "100ms"));
		context.registerBean("secret", Secretive.class);
		DisposablesLifecycle lifecycle = context.getBean(DisposablesLifecycle.class);
		context.close();

		ShutdownReport report = lifecycle.report();
		String text = output.toString();
		int summary = text.indexOf(report.summary());
		int path = text.indexOf("Shutdown critical path (3 disposal(s)");
		assertThat(summary).isNotNegative();
		assertThat(path).isGreaterThan(summary);
		String line = text.substring(text.lastIndexOf('\n', path) + 1, text.indexOf('\n', path));
		assertThat(line).contains(" INFO ").doesNotContain(" DEBUG ");
		assertThat(line).contains("'front' (" + TimedResource.Async.class.getName() + ", singleton, async) +")
			.contains(" -> 'middle' (" + TimedResource.Sync.class.getName() + ", singleton, sync)")
			.contains("after 'front'")
			.contains("; slowest: 'loner' ");
		assertThat(report.criticalPathSummary()).isEqualTo(line.substring(line.indexOf("Shutdown critical path")));
		assertThat(text).doesNotContain(Secretive.SECRET);
	}

	@Test
	void aHungDisposalOnThePathIsReportedAsTimedOut() {
		AnnotationConfigApplicationContext context = context(
				Map.of("disposables.shutdown.per-resource-timeout", "300ms", "disposables.shutdown.timeout", "5s"));
		context.registerBean("hung", Object.class,
				() -> TimedResource.create("hung", 60_000, true, this.journal, List.of()));
		context.registerBean("after", Object.class,
				() -> TimedResource.create("after", 10, false, this.journal, List.of()));
		context.getBeanDefinition("hung").setDependsOn("after"); // hung is disposed
																	// first, then after
		context.refresh();
		DisposablesLifecycle lifecycle = context.getBean(DisposablesLifecycle.class);
		context.close();

		ShutdownReport report = lifecycle.report();
		assertThat(report.criticalPath()).extracting(DisposalTiming::beanName).containsExactly("hung", "after");
		assertThat(report.criticalPath().get(0).outcome()).isEqualTo(ResourceState.TIMED_OUT);
		assertThat(report.criticalPath().get(0).duration()).isGreaterThanOrEqualTo(Duration.ofMillis(290));
	}

	@Test
	void nothingToDisposeGivesAnEmptyPath() {
		AnnotationConfigApplicationContext context = context(Map.of());
		context.refresh();
		DisposablesLifecycle lifecycle = context.getBean(DisposablesLifecycle.class);
		context.close();
		assertThat(lifecycle.report().criticalPath()).isEmpty();
		assertThat(lifecycle.report().slowest()).isEmpty();
		assertThat(lifecycle.report().criticalPathSummary()).isEqualTo("Shutdown critical path: nothing was disposed");
	}

	private AnnotationConfigApplicationContext chainAndLoner(Map<String, Object> properties) {
		AnnotationConfigApplicationContext context = context(properties);
		context.registerBean("front", Object.class,
				() -> TimedResource.create("front", 300, true, this.journal, List.of()));
		context.registerBean("middle", Object.class,
				() -> TimedResource.create("middle", 200, false, this.journal, List.of()));
		context.registerBean("back", Object.class,
				() -> TimedResource.create("back", 250, true, this.journal, List.of()));
		context.registerBean("loner", Object.class,
				() -> TimedResource.create("loner", 400, false, this.journal, List.of()));
		context.getBeanDefinition("front").setDependsOn("middle");
		context.getBeanDefinition("middle").setDependsOn("back");
		context.refresh();
		return context;
	}

	private static AnnotationConfigApplicationContext context(Map<String, Object> properties) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", properties));
		context.register(DisposablesAutoConfiguration.class);
		return context;
	}

}
