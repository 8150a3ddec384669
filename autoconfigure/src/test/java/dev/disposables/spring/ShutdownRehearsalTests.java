package dev.disposables.spring;

import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ShutdownRehearsal}: the shutdown path really runs, on its stand-ins only, on the
 * calling thread, without a word.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownRehearsalTests {

	private static final DisposalSettings SETTINGS = DisposalSettings.builder().samplingInterval(1).build();

	@Test
	void disposesItsStandInsAsAShutdownWouldOnTheCallingThreadAndSaysNothing(CapturedOutput output) {
		Set<String> before = starterThreads();
		ShutdownReport report = ShutdownRehearsal.rehearse(SETTINGS);
		assertThat(report.disposed()).isEqualTo(3);
		assertThat(report.sync()).isEqualTo(2);
		assertThat(report.async()).isEqualTo(1);
		assertThat(report.failed() + report.timedOut()).isZero();
		assertThat(report.criticalPath()).as("timed as a real shutdown").isNotEmpty();
		Set<String> after = starterThreads();
		after.removeAll(before);
		assertThat(after).as("no thread of its own").isEmpty();
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
