package dev.disposables.boot.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shutdown disposal runs inside Spring's last lifecycle phase: its deadline never
 * exceeds that phase's timeout.
 */
class ShutdownDeadlineTests {

	@Test
	void deadlineIsCappedByTheLifecyclePhaseTimeout() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.lifecycle.timeout-per-shutdown-phase",
				"5s");
		assertThat(DisposablesAutoConfiguration.effectiveDeadline(Duration.ofSeconds(30), environment))
			.isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void shorterDeadlineIsKept() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.lifecycle.timeout-per-shutdown-phase",
				"30s");
		assertThat(DisposablesAutoConfiguration.effectiveDeadline(Duration.ofSeconds(3), environment))
			.isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void withoutAPhaseTimeoutTheConfiguredDeadlineApplies() {
		assertThat(DisposablesAutoConfiguration.effectiveDeadline(Duration.ofSeconds(30), new MockEnvironment()))
			.isEqualTo(Duration.ofSeconds(30));
	}

}
