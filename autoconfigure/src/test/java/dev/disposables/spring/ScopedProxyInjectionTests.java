package dev.disposables.spring;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesScopesAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.annotation.RequestScope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regression: a singleton injected with a scoped proxy starts. Finding the candidates
 * creates the proxy's {@code FactoryBean} while the singleton is being created; recording
 * that observed dependency asked {@code isPrototype} of the factory bean, which is itself
 * still in creation, and the context failed to start with
 * {@code BeanCurrentlyInCreationException} (the sample application and the
 * request-latency benchmark's application).
 */
class ScopedProxyInjectionTests {

	private static final AutoConfigurations DISPOSABLES = AutoConfigurations.of(DisposablesAutoConfiguration.class,
			DisposablesScopesAutoConfiguration.class);

	// With circular references disallowed, as Spring Boot does by default: observing the
	// dependency must not instantiate the proxy's factory while it is in creation.
	@Test
	void aDisposalScopedProxyInjectedByConstructorStartsWithoutCircularReferences() {
		new ApplicationContextRunner().withConfiguration(DISPOSABLES)
			.withAllowCircularReferences(false)
			.withUserConfiguration(DisposalScopedConfig.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				try (DisposalScope scope = context.getBean(DisposalScopes.class).open()) {
					assertThat(context.getBean(UnitUser.class).unit().name()).isEqualTo("unit");
				}
			});
	}

	// Injected by an interface the proxy implements, and the proxy's @Bean method has
	// parameters.
	@Test
	void aSingletonInjectedWithARequestScopedProxyStarts() {
		new WebApplicationContextRunner().withConfiguration(DISPOSABLES)
			.withUserConfiguration(RequestScopedConfig.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(WorkUser.class);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class DisposalScopedConfig {

		@Bean
		UnitUser user(Unit unit) {
			return new UnitUser(unit);
		}

		@Bean
		@DisposalScoped
		Unit unit() {
			return new Unit();
		}

	}

	record UnitUser(Unit unit) {

	}

	static class Unit implements AutoCloseable {

		String name() {
			return "unit";
		}

		@Override
		public void close() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RequestScopedConfig {

		// First: created before the proxy's FactoryBean, which its creation then creates
		// (as a nested controller is).
		@Bean
		WorkUser user(Work work) {
			return new WorkUser(work);
		}

		@Bean
		StringBuilder settings() {
			return new StringBuilder("ok");
		}

		@Bean
		@RequestScope
		SlowWork slowWork(StringBuilder settings) {
			return new SlowWork(settings.toString());
		}

	}

	interface Work {

		String work();

	}

	static class SlowWork implements Work, AutoCloseable {

		private final String result;

		SlowWork(String result) {
			this.result = result;
		}

		@Override
		public String work() {
			return this.result;
		}

		@Override
		public void close() {
		}

	}

	static class WorkUser {

		WorkUser(Work work) {
		}

	}

}
