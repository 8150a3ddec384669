package dev.disposables.spring;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesScopesAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.annotation.RequestScope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regression: a singleton injected with an interface implemented by a request-scoped
 * proxy whose {@code @Bean} method has parameters. Finding the candidates creates the
 * proxy's {@code FactoryBean} while the singleton is being created; recording that
 * observed dependency asked {@code isPrototype} of the factory bean, which is itself
 * still in creation, and the context failed to start (the request-latency benchmark's
 * application).
 */
class ScopedProxyInjectionTests {

	@Test
	void singletonInjectedWithARequestScopedProxyStarts() {
		new WebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class))
			.withUserConfiguration(Config.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(User.class);
			});
	}

	interface Work {

		String work();

	}

	@Configuration(proxyBeanMethods = false)
	static class Config {

		// First: created before the proxy's FactoryBean, which its creation then creates
		// (as a nested controller is).
		@Bean
		User user(Work work) {
			return new User(work);
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

	static class User {

		User(Work work) {
		}

	}

}
