package dev.disposables.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.disposables.boot.actuate.DisposablesEndpoint;
import dev.disposables.boot.actuate.DisposablesMetrics;
import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposablesBeanPostProcessor;
import dev.disposables.spring.DisposablesLifecycle;
import dev.disposables.spring.RecordingResource;
import dev.disposables.spring.ScopedResourceTracker;
import jakarta.annotation.PreDestroy;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
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
 * Conditions of {@link DisposablesAutoConfiguration}: what it contributes,
 * {@code disposables.enabled} (for the whole starter), user beans backing off the
 * defaults, and a child context getting infrastructure of its own.
 */
class DisposablesAutoConfigurationTests {

	/**
	 * The starter with its optional parts, for what {@code disposables.enabled} turns
	 * off.
	 */
	private static final AutoConfigurations ALL = AutoConfigurations.of(DisposablesAutoConfiguration.class,
			DisposablesMetricsAutoConfiguration.class, DisposablesEndpointAutoConfiguration.class,
			MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
			CompositeMeterRegistryAutoConfiguration.class, EndpointAutoConfiguration.class);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class));

	private final ApplicationContextRunner allRunner = new ApplicationContextRunner().withConfiguration(ALL);

	@Test
	void contributesTheEngine() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(DisposablesBeanPostProcessor.class)
			.hasSingleBean(DisposableRegistry.class)
			.hasSingleBean(ScopedResourceTracker.class)
			.hasSingleBean(DisposablesLifecycle.class)
			.hasSingleBean(DisposablesProperties.class));
	}

	@Test
	void disabledContributesNone() {
		assertDisabledContributesNone(this.runner, DisposablesBeanPostProcessor.class, DisposableRegistry.class,
				ScopedResourceTracker.class, DisposablesLifecycle.class, DisposablesProperties.class);
	}

	@Test
	void userBeanPostProcessorBacksOff() {
		this.runner.withUserConfiguration(UserBeanPostProcessorConfig.class)
			.run((context) -> assertThat(context).getBeans(DisposablesBeanPostProcessor.class)
				.containsOnlyKeys("userDisposablesBeanPostProcessor"));
	}

	@Test
	void userScopedResourceTrackerBacksOff() {
		// constructed from the context's beans, as a user's @Bean method would be
		this.runner.withBean("user", ScopedResourceTracker.class)
			.run((context) -> assertThat(context).getBeans(ScopedResourceTracker.class).containsOnlyKeys("user"));
	}

	@Test
	void userRegistryBacksOff() {
		// Infrastructure, like the auto-configured one: the post-processor must not track
		// the registry (a Closeable)
		// in the registry itself.
		this.runner
			.withBean("user", DisposableRegistry.class,
					() -> new DisposableRegistry(new DisposablesProperties().toSettings()),
					(definition) -> definition.setRole(BeanDefinition.ROLE_INFRASTRUCTURE))
			.run((context) -> {
				assertThat(context).getBeans(DisposableRegistry.class).containsOnlyKeys("user");
				assertThat(context).hasSingleBean(ScopedResourceTracker.class)
					.hasSingleBean(DisposablesLifecycle.class);
			});
	}

	@Test
	void userLifecycleBacksOff() {
		this.runner.withBean("user", DisposablesLifecycle.class, Duration.ofSeconds(30))
			.run((context) -> assertThat(context).getBeans(DisposablesLifecycle.class).containsOnlyKeys("user"));
	}

	@Test
	void childContextGetsInfrastructureOfItsOwn() {
		assertChildContextHasItsOwn(this.runner, DisposablesBeanPostProcessor.class, DisposableRegistry.class,
				ScopedResourceTracker.class, DisposablesLifecycle.class);
	}

	@Test
	void startsWithoutReactiveStreams() {
		this.allRunner.withClassLoader(new FilteredClassLoader(Publisher.class))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(DisposableRegistry.class));
	}

	@Test
	void disabledTurnsEveryPartOff() {
		this.allRunner
			.withPropertyValues("disposables.enabled=false", "management.endpoints.web.exposure.include=disposables")
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
		this.allRunner.withPropertyValues("disposables.enabled=false")
			.withBean("first", Resource.class, () -> new Resource("first", events))
			.withBean("second", Resource.class, () -> new Resource("second", events))
			.run((context) -> assertThat(context).hasNotFailed());
		// Spring's behaviour: sequential, reverse registration order, @PreDestroy before
		// close().
		assertThat(events).containsExactly("second-predestroy", "second-close", "first-predestroy", "first-close");
	}

	@Test
	void invalidValueIgnoredWhenDisabled() {
		this.allRunner.withPropertyValues("disposables.enabled=false", "disposables.shutdown.max-concurrency=0")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	static class Resource extends RecordingResource {

		private final String name;

		Resource(String name, List<String> events) {
			super(name + "-close", events);
			this.name = name;
		}

		@PreDestroy
		void preDestroy() {
			record(this.name + "-predestroy");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeanPostProcessorConfig {

		@Bean
		static DisposablesBeanPostProcessor userDisposablesBeanPostProcessor(
				ObjectProvider<DisposableRegistry> registry, ObjectProvider<ScopedResourceTracker> tracker) {
			return new DisposablesBeanPostProcessor(registry, tracker);
		}

	}

}
