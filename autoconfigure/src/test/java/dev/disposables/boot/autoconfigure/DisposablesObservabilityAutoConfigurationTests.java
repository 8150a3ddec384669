package dev.disposables.boot.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.disposables.boot.actuate.DisposablesEndpoint;
import dev.disposables.boot.actuate.DisposablesEndpointWebExtension;
import dev.disposables.boot.actuate.DisposablesMetrics;
import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposablesBeanPostProcessor;
import dev.disposables.spring.DisposablesLifecycle;
import dev.disposables.spring.ScopedResourceTracker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.annotation.PreDestroy;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditions of every Disposables auto-configuration: optional dependencies, {@code disposables.enabled}, endpoint
 * availability, and user beans backing off the defaults.
 */
class DisposablesObservabilityAutoConfigurationTests {

	private static final AutoConfigurations ALL = AutoConfigurations.of(DisposablesAutoConfiguration.class,
			DisposablesMetricsAutoConfiguration.class, DisposablesEndpointAutoConfiguration.class,
			MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
			CompositeMeterRegistryAutoConfiguration.class, EndpointAutoConfiguration.class);

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(ALL);

	@Test
	void metricsAreBoundWhenAMeterRegistryExists() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(DisposablesMetrics.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			// bound by Spring Boot's MeterRegistry post-processing, which registers the shutdown timer at once
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
	void endpointIsNotAvailableUnlessExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(DisposablesEndpoint.class)
			.doesNotHaveBean(DisposablesEndpointWebExtension.class));
	}

	@Test
	void endpointAndWebExtensionWhenExposedOverHttp() {
		new WebApplicationContextRunner().withConfiguration(ALL)
			.withConfiguration(AutoConfigurations.of(WebEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=disposables")
			.run((context) -> assertThat(context).hasSingleBean(DisposablesEndpoint.class)
				.hasSingleBean(DisposablesEndpointWebExtension.class)
				.hasSingleBean(DisposablesEndpointProperties.class));
	}

	@Test
	void endpointWithoutWebExtensionWhenExposedOverJmxOnly() {
		this.runner
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=disposables")
			.run((context) -> assertThat(context).hasSingleBean(DisposablesEndpoint.class)
				.doesNotHaveBean(DisposablesEndpointWebExtension.class));
	}

	@Test
	void endpointAccessNoneRemovesIt() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=disposables",
					"management.endpoint.disposables.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(DisposablesEndpoint.class));
	}

	@Test
	void showValuesDefaultsToNever() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=disposables")
			.run((context) -> assertThat(context.getBean(DisposablesEndpointProperties.class).getShowValues())
				.isEqualTo(Show.NEVER));
	}

	@Test
	void noEndpointWithoutActuator() {
		this.runner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.withPropertyValues("management.endpoints.web.exposure.include=disposables")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DisposablesEndpoint.class));
	}

	@Test
	void noEndpointWithoutActuatorAutoConfigure() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class,
					DisposablesEndpointAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(ConditionalOnAvailableEndpoint.class))
			.withPropertyValues("management.endpoints.web.exposure.include=disposables")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DisposablesEndpoint.class));
	}

	@Test
	void userEndpointBacksOff() {
		this.runner.withUserConfiguration(UserEndpointConfig.class)
			.withPropertyValues("management.endpoints.web.exposure.include=disposables")
			.run((context) -> assertThat(context).getBean(DisposablesEndpoint.class)
				.isSameAs(context.getBean(UserEndpointConfig.class).endpoint));
	}

	@Test
	void startsWithoutReactiveStreams() {
		this.runner.withClassLoader(new FilteredClassLoader(Publisher.class))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(DisposableRegistry.class));
	}

	@Test
	void disabledTurnsEveryPartOff() {
		this.runner.withPropertyValues("disposables.enabled=false",
				"management.endpoints.web.exposure.include=disposables")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(DisposableRegistry.class)
				.doesNotHaveBean(DisposablesBeanPostProcessor.class)
				.doesNotHaveBean(ScopedResourceTracker.class)
				.doesNotHaveBean(DisposablesLifecycle.class)
				.doesNotHaveBean(DisposablesMetrics.class)
				.doesNotHaveBean(DisposablesEndpoint.class)
				.doesNotHaveBean(DisposablesEndpointProperties.class));
	}

	@Test
	void disabledLeavesSpringsOwnDestructionUntouched() {
		List<String> events = new CopyOnWriteArrayList<>();
		this.runner.withPropertyValues("disposables.enabled=false")
			.withBean("first", Resource.class, () -> new Resource("first", events))
			.withBean("second", Resource.class, () -> new Resource("second", events))
			.run((context) -> assertThat(context).hasNotFailed());
		// Spring's behaviour: sequential, reverse registration order, @PreDestroy before close().
		assertThat(events).containsExactly("second-predestroy", "second-close", "first-predestroy", "first-close");
	}

	@Test
	void invalidValueIgnoredWhenDisabled() {
		this.runner.withPropertyValues("disposables.enabled=false", "disposables.shutdown.max-concurrency=0")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	static class Resource implements AutoCloseable {

		private final String name;

		private final List<String> events;

		Resource(String name, List<String> events) {
			this.name = name;
			this.events = events;
		}

		@PreDestroy
		void preDestroy() {
			this.events.add(this.name + "-predestroy");
		}

		@Override
		public void close() {
			this.events.add(this.name + "-close");
		}

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

	@Configuration(proxyBeanMethods = false)
	static class UserEndpointConfig {

		DisposablesEndpoint endpoint;

		@Bean
		DisposablesEndpoint userDisposablesEndpoint(DisposableRegistry registry) {
			this.endpoint = new DisposablesEndpoint(registry, Show.ALWAYS);
			return this.endpoint;
		}

	}

}
