package dev.disposables.spring;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesScopesAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scoped proxy (a FactoryBean) created as another bean's constructor argument, with
 * circular references disallowed as Spring Boot does by default: observing the dependency
 * must not instantiate the proxy's factory while it is still in creation (the sample
 * application failed to start with BeanCurrentlyInCreationException).
 */
class ScopedProxyDependencyTests {

	@Test
	void aScopedProxyInjectedByConstructorStartsWithoutCircularReferences() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class))
			.withAllowCircularReferences(false)
			.withUserConfiguration(Config.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				try (DisposalScope scope = context.getBean(DisposalScopes.class).open()) {
					assertThat(context.getBean(User.class).unit().name()).isEqualTo("unit");
				}
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Config {

		@Bean
		User user(Unit unit) {
			return new User(unit);
		}

		@Bean
		@DisposalScoped
		Unit unit() {
			return new Unit();
		}

	}

	record User(Unit unit) {

	}

	static class Unit implements AutoCloseable {

		String name() {
			return "unit";
		}

		@Override
		public void close() {
		}

	}

}
