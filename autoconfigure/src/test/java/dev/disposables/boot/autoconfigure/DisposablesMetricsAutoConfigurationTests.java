package dev.disposables.boot.autoconfigure;

import dev.disposables.boot.actuate.DisposablesMetrics;
import dev.disposables.spring.DisposableRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.disposables.boot.autoconfigure.AutoConfigurationAssertions.assertChildContextHasItsOwn;
import static dev.disposables.boot.autoconfigure.AutoConfigurationAssertions.assertDisabledContributesNone;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditions of {@link DisposablesMetricsAutoConfiguration}: Micrometer and a
 * {@link MeterRegistry} bean, {@code disposables.enabled}, a user bean backing off the
 * default, and a child context binding its own.
 */
class DisposablesMetricsAutoConfigurationTests {

	private static final AutoConfigurations METRICS = AutoConfigurations.of(DisposablesAutoConfiguration.class,
			DisposablesMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
			SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class);

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(METRICS);

	@Test
	void metricsAreBoundWhenAMeterRegistryExists() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(DisposablesMetrics.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			// bound by Spring Boot's MeterRegistry post-processing, which registers the
			// shutdown timer at once
			assertThat(meters.find(DisposablesMetrics.SHUTDOWN).timer()).isNotNull();
		});
	}

	@Test
	void noMetricsWithoutAMeterRegistryBean() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class,
					DisposablesMetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(DisposableRegistry.class)
				.doesNotHaveBean(DisposablesMetrics.class));
	}

	@Test
	void noMetricsWithoutMicrometer() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class,
					DisposablesMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.withUserConfiguration(UserMeterRegistryConfig.class)
			.run((context) -> assertThat(context).hasSingleBean(DisposableRegistry.class)
				.doesNotHaveBean(DisposablesMetrics.class));
	}

	@Test
	void userMetricsBeanBacksOff() {
		this.runner.withUserConfiguration(UserMetricsConfig.class).run((context) -> {
			assertThat(context).hasSingleBean(DisposablesMetrics.class);
			assertThat(context.getBean(DisposablesMetrics.class))
				.isSameAs(context.getBean(UserMetricsConfig.class).metrics);
		});
	}

	@Test
	void disabledContributesNone() {
		assertDisabledContributesNone(this.runner, DisposablesMetrics.class);
	}

	@Test
	void childContextBindsTheMetricsOfItsOwnRegistry() {
		// The child sees the parent's MeterRegistry; its metrics are still those of its
		// own DisposableRegistry.
		assertChildContextHasItsOwn(this.runner,
				new ApplicationContextRunner().withConfiguration(AutoConfigurations
					.of(DisposablesAutoConfiguration.class, DisposablesMetricsAutoConfiguration.class)),
				DisposableRegistry.class, DisposablesMetrics.class);
	}

	@Configuration(proxyBeanMethods = false)
	static class UserMeterRegistryConfig {

		@Bean
		SimpleMeterRegistry userMeterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserMetricsConfig {

		DisposablesMetrics metrics;

		@Bean
		DisposablesMetrics userDisposablesMetrics(DisposableRegistry registry) {
			this.metrics = new DisposablesMetrics(registry);
			return this.metrics;
		}

	}

}
