package dev.disposables.spring.test;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.spring.DisposableRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The deprecated copy keeps working until it is removed (its full tests moved with it to
 * {@code disposables-spring-boot-test}).
 */
@SuppressWarnings("removal")
class DeprecatedDisposablesAssertTests {

	@Test
	void stillAssertsOnTheRegistry() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class))
			.withUserConfiguration(Config.class)
			.run((context) -> {
				DisposableRegistry registry = context.getBean(DisposableRegistry.class);
				DisposablesAssert.assertThat(registry).hasNoUndisposed("prototype").hasNoLeaks();
				Object kept = context.getBean("session");
				assertThatExceptionOfType(AssertionError.class)
					.isThrownBy(() -> DisposablesAssert.assertThat(registry).hasNoUndisposed("prototype"))
					.withMessageContaining("bean 'session'");
				registry.dispose(kept).toCompletableFuture().join();
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Config {

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		AutoCloseable session() {
			return () -> {
			};
		}

	}

}
