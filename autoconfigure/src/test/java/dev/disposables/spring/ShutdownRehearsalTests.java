package dev.disposables.spring;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link ShutdownRehearsal}: the shutdown path really runs, on its stand-ins only, on
 * threads of its own that end with it, without a word.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownRehearsalTests {

	private static final DisposalSettings SETTINGS = DisposalSettings.builder().samplingInterval(1).build();

	@Test
	void disposesItsStandInsAsAShutdownWouldOnThreadsOfItsOwnAndSaysNothing(CapturedOutput output) {
		Set<String> before = starterThreads();
		ShutdownReport report = ShutdownRehearsal.rehearse(SETTINGS);
		assertThat(report.disposed()).isEqualTo(5);
		assertThat(report.sync()).isEqualTo(4);
		assertThat(report.async()).isEqualTo(1);
		assertThat(report.failed() + report.timedOut()).isZero();
		assertThat(report.criticalPath()).as("timed as a real shutdown").isNotEmpty();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			Set<String> after = starterThreads();
			after.removeAll(before);
			assertThat(after).as("its threads end with it").isEmpty();
		});
		assertThat(output).doesNotContain("Disposed").doesNotContain("rehearsal");
	}

	private static Set<String> starterThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.map(Thread::getName)
			.filter((name) -> name.startsWith("disposables-"))
			.collect(Collectors.toSet());
	}

}
