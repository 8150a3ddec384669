package dev.disposables.spring;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * {@link DisposalSettings}: settings built from code are checked as strictly as bound
 * properties, so that no value the engine cannot work with (a concurrency of 0 that
 * stalls every disposal, a sampling interval of 0 that fails at registration) gets in.
 */
class DisposalSettingsTests {

	@Test
	void defaultsAreTheDocumentedOnes() {
		DisposalSettings defaults = DisposalSettings.defaults();
		assertThat(defaults.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(defaults.perResourceTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(defaults.maxConcurrency()).isEqualTo(128);
		assertThat(defaults.readyThreads()).isEqualTo(1);
		assertThat(defaults.criticalPathThreshold()).isEqualTo(Duration.ofSeconds(1));
		assertThat(defaults.prototypeTracking()).isEqualTo(PrototypeTracking.WEAK);
		assertThat(defaults.prototypeSamplingInterval()).isEqualTo(1);
		assertThat(defaults.leakDetectionLevel()).isEqualTo(LeakDetectionLevel.SIMPLE);
		assertThat(defaults.samplingInterval()).isEqualTo(128);
		assertThat(DisposalSettings.builder().build()).isEqualTo(defaults).hasSameHashCodeAs(defaults);
	}

	@Test
	void toBuilderChangesOnlyWhatIsSet() {
		DisposalSettings settings = DisposalSettings.builder()
			.shutdownTimeout(Duration.ofSeconds(5))
			.maxConcurrency(4)
			.readyThreads(2)
			.leakDetectionLevel(LeakDetectionLevel.PARANOID)
			.build();
		DisposalSettings changed = settings.toBuilder().perResourceTimeout(Duration.ofSeconds(1)).build();
		assertThat(changed.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(changed.maxConcurrency()).isEqualTo(4);
		assertThat(changed.readyThreads()).isEqualTo(2);
		assertThat(changed.leakDetectionLevel()).isEqualTo(LeakDetectionLevel.PARANOID);
		assertThat(changed.perResourceTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(changed).isNotEqualTo(settings);
		assertThat(settings.perResourceTimeout()).as("the original is unchanged").isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void rejectsDurationsTheEngineCannotWorkWith() {
		assertThatIllegalArgumentException().isThrownBy(() -> DisposalSettings.builder().shutdownTimeout(Duration.ZERO))
			.withMessageContaining("shutdownTimeout");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DisposalSettings.builder().perResourceTimeout(Duration.ofMillis(-1)))
			.withMessageContaining("perResourceTimeout");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DisposalSettings.builder().criticalPathThreshold(Duration.ofMillis(-1)))
			.withMessageContaining("criticalPathThreshold");
		assertThat(DisposalSettings.builder().criticalPathThreshold(Duration.ZERO).build().criticalPathThreshold())
			.as("zero logs the critical path always")
			.isZero();
		assertThatNullPointerException().isThrownBy(() -> DisposalSettings.builder().shutdownTimeout(null))
			.withMessageContaining("shutdownTimeout");
	}

	@Test
	void rejectsCountsTheEngineCannotWorkWith() {
		assertThatIllegalArgumentException().isThrownBy(() -> DisposalSettings.builder().maxConcurrency(0))
			.withMessageContaining("maxConcurrency");
		assertThatIllegalArgumentException().isThrownBy(() -> DisposalSettings.builder().samplingInterval(0))
			.withMessageContaining("samplingInterval");
		assertThatIllegalArgumentException().isThrownBy(() -> DisposalSettings.builder().prototypeSamplingInterval(0))
			.withMessageContaining("prototypeSamplingInterval");
		assertThatIllegalArgumentException().isThrownBy(() -> DisposalSettings.builder().readyThreads(-1))
			.withMessageContaining("readyThreads");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DisposalSettings.builder().maxConcurrency(2).readyThreads(3).build())
			.withMessageContaining("readyThreads (3)")
			.withMessageContaining("maxConcurrency (2)");
		assertThatNullPointerException().isThrownBy(() -> DisposalSettings.builder().prototypeTracking(null));
		assertThatNullPointerException().isThrownBy(() -> DisposalSettings.builder().leakDetectionLevel(null));
	}

}
