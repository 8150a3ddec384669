package dev.disposables.boot.autoconfigure;

import java.util.Set;

import dev.disposables.boot.actuate.DisposablesEndpoint;
import dev.disposables.boot.actuate.DisposablesEndpointWebExtension;
import dev.disposables.spring.DisposableRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.disposables.boot.autoconfigure.AutoConfigurationAssertions.assertChildContextHasItsOwn;
import static dev.disposables.boot.autoconfigure.AutoConfigurationAssertions.assertDisabledContributesNone;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditions of {@link DisposablesEndpointAutoConfiguration}: endpoint availability
 * (access, HTTP or JMX exposure), the optional actuator, {@code disposables.enabled},
 * user beans backing off the defaults, and a child context getting an endpoint of its
 * own.
 */
class DisposablesEndpointAutoConfigurationTests {

	private static final AutoConfigurations ENDPOINT = AutoConfigurations.of(DisposablesAutoConfiguration.class,
			DisposablesEndpointAutoConfiguration.class, EndpointAutoConfiguration.class);

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(ENDPOINT);

	private final WebApplicationContextRunner webRunner = new WebApplicationContextRunner().withConfiguration(ENDPOINT)
		.withConfiguration(AutoConfigurations.of(WebEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=disposables");

	@Test
	void endpointIsNotAvailableUnlessExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(DisposablesEndpoint.class)
			.doesNotHaveBean(DisposablesEndpointWebExtension.class));
	}

	@Test
	void endpointAndWebExtensionWhenExposedOverHttp() {
		this.webRunner.run((context) -> assertThat(context).hasSingleBean(DisposablesEndpoint.class)
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
	void userWebExtensionBacksOff() {
		this.webRunner.withUserConfiguration(UserWebExtensionConfig.class).run((context) -> {
			assertThat(context).hasSingleBean(DisposablesEndpoint.class);
			assertThat(context).getBean(DisposablesEndpointWebExtension.class)
				.isSameAs(context.getBean(UserWebExtensionConfig.class).extension);
		});
	}

	@Test
	void disabledContributesNone() {
		assertDisabledContributesNone(this.webRunner, DisposablesEndpoint.class, DisposablesEndpointWebExtension.class,
				DisposablesEndpointProperties.class);
	}

	@Test
	void childContextGetsAnEndpointOfItsOwn() {
		assertChildContextHasItsOwn(this.webRunner, DisposableRegistry.class, DisposablesEndpoint.class,
				DisposablesEndpointWebExtension.class);
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

	@Configuration(proxyBeanMethods = false)
	static class UserWebExtensionConfig {

		DisposablesEndpointWebExtension extension;

		@Bean
		DisposablesEndpointWebExtension userDisposablesEndpointWebExtension(DisposablesEndpoint endpoint) {
			this.extension = new DisposablesEndpointWebExtension(endpoint, Show.ALWAYS, Set.of());
			return this.extension;
		}

	}

}
