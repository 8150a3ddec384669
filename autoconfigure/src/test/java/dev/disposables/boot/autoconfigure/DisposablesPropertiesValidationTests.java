package dev.disposables.boot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A bad {@code disposables.*} value fails startup with a report naming the property, the
 * value and what is accepted.
 */
@ExtendWith(OutputCaptureExtension.class)
class DisposablesPropertiesValidationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class));

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			disposables.shutdown.timeout                  | -1s | a positive duration
			disposables.shutdown.timeout                  | 0   | a positive duration
			disposables.shutdown.per-resource-timeout     | 0ms | a positive duration
			disposables.shutdown.per-resource-timeout     | -5m | a positive duration
			disposables.shutdown.max-concurrency          | 0   | an integer of at least 1
			disposables.shutdown.max-concurrency          | -3  | an integer of at least 1
			disposables.leak-detection.sampling-interval  | 0   | an integer of at least 1
			disposables.shutdown.critical-path-threshold  | -1s | a duration of zero or more
			disposables.prototypes.sampling-interval      | 0   | an integer of at least 1
			disposables.shutdown.ready-threads | -1  | an integer from 0 to disposables.shutdown.max-concurrency (128)
			disposables.shutdown.ready-threads | 129 | an integer from 0 to disposables.shutdown.max-concurrency (128)
			""")
	void invalidValueFailsStartupWithAnAnalysisNamingPropertyValueOriginAndAcceptedValues(String property, String value,
			String accepted, CapturedOutput output) {
		assertThatException().isThrownBy(() -> application(property + "=" + value));
		// Spring Boot's own analyzer of InvalidConfigurationPropertyValueException: the
		// value as typed, where it
		// came from, and why it is rejected.
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value '" + value + "' for configuration property '" + property + "'")
			.contains("originating from")
			.contains("Accepted values: " + accepted);
	}

	@Test
	void relaxedLowerCaseEnumValuesAreAccepted() {
		this.runner
			.withPropertyValues("disposables.leak-detection.level=paranoid", "disposables.prototypes.tracking=strong")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void validValuesStart() {
		this.runner
			.withPropertyValues("disposables.shutdown.timeout=1s", "disposables.shutdown.per-resource-timeout=1ms",
					"disposables.shutdown.max-concurrency=1", "disposables.leak-detection.sampling-interval=1",
					"disposables.shutdown.critical-path-threshold=0s")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	/**
	 * Spring Boot's own bind failure analyzer already names the property and lists the
	 * valid values of an enum, so the starter does not repeat it.
	 */
	@Test
	void unknownEnumValueIsReportedBySpringBootWithTheValidValues(CapturedOutput output) {
		assertThatException().isThrownBy(() -> application("disposables.leak-detection.level=loud"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: disposables.leak-detection.level")
			.contains("Value: \"loud\"")
			.contains("The following values are valid:")
			.contains("ADVANCED")
			.contains("DISABLED")
			.contains("PARANOID")
			.contains("SIMPLE");
	}

	@Test
	void unknownTrackingValueIsReportedBySpringBootWithTheValidValues(CapturedOutput output) {
		assertThatException().isThrownBy(() -> application("disposables.prototypes.tracking=soft"));
		assertThat(output).contains("Property: disposables.prototypes.tracking")
			.contains("Value: \"soft\"")
			.contains("The following values are valid:")
			.contains("WEAK")
			.contains("STRONG")
			.contains("OFF");
	}

	@Test
	void perResourceTimeoutLongerThanTheShutdownTimeoutStartsWithAWarningNamingBoth(CapturedOutput output) {
		this.runner
			.withPropertyValues("disposables.shutdown.timeout=5s", "disposables.shutdown.per-resource-timeout=20s")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).containsOnlyOnce("disposables.shutdown.per-resource-timeout (PT20S) is longer than")
			.contains("WARN")
			.contains("disposables.shutdown.timeout (PT5S):")
			.contains("Set disposables.shutdown.per-resource-timeout below disposables.shutdown.timeout.");
	}

	@Test
	void perResourceTimeoutLongerThanTheCappedDeadlineNamesTheCap(CapturedOutput output) {
		this.runner
			.withPropertyValues("disposables.shutdown.per-resource-timeout=20s",
					"spring.lifecycle.timeout-per-shutdown-phase=10s")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("disposables.shutdown.per-resource-timeout (PT20S) is longer than")
			.contains("disposables.shutdown.timeout (PT30S), capped to PT10S by "
					+ "spring.lifecycle.timeout-per-shutdown-phase");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			30s | 10s
			10s | 10s
			""")
	void perResourceTimeoutWithinTheShutdownTimeoutStartsWithoutAWarning(String timeout, String perResourceTimeout,
			CapturedOutput output) {
		this.runner
			.withPropertyValues("disposables.shutdown.timeout=" + timeout,
					"disposables.shutdown.per-resource-timeout=" + perResourceTimeout)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain("disposables.shutdown.per-resource-timeout (");
	}

	private static void application(String property) {
		new SpringApplicationBuilder(EmptyApplication.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off")
			.run("--" + property)
			.close();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(DisposablesAutoConfiguration.class)
	static class EmptyApplication {

	}

}
