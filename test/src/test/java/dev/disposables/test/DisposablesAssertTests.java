package dev.disposables.test;

import java.time.Duration;

import dev.disposables.DisposalEvents;
import dev.disposables.ReportsDisposal;
import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.ResourceState;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class DisposablesAssertTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class))
		.withUserConfiguration(Config.class);

	@Test
	void passesWhenEverythingWasDisposed() {
		this.runner.run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			Session session = context.getBean(Session.class);
			registry.dispose(session).toCompletableFuture().join();
			DisposablesAssert.assertThat(registry)
				.hasNoUndisposed("prototype")
				.hasNoUndisposedBean("session")
				.hasUndisposedCount("prototype", 0)
				.hasNoLeaks();
		});
	}

	@Test
	void failsNamingTheUndisposedResources() {
		this.runner.withPropertyValues("disposables.leak-detection.level=paranoid").run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			Session kept = context.getBean(Session.class);
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> DisposablesAssert.assertThat(registry).hasNoUndisposed("prototype"))
				.withMessageContaining("Expected no undisposed resources in scope 'prototype' but found 1")
				.withMessageContaining("bean 'session' (" + Session.class.getName() + ", scope prototype) LIVE")
				.withMessageContaining("allocated at " + DisposablesAssertTests.class.getName());
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> DisposablesAssert.assertThat(registry).hasUndisposedCount("prototype", 0))
				.withMessageContaining("Expected 0 undisposed resources in scope 'prototype' but found 1");
			DisposablesAssert.assertThat(registry).hasUndisposedCount("prototype", 1);
			assertThat(kept).isNotNull();
		});
	}

	@Test
	void listsAtMostTwentyAndCountsTheRest() {
		this.runner.withPropertyValues("disposables.prototypes.tracking=strong").run((context) -> {
			for (int i = 0; i < 25; i++) {
				context.getBean(Session.class);
			}
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> DisposablesAssert.assertThat(registry).hasNoUndisposed())
				.withMessageContaining("but found 25")
				.withMessageContaining("... and 5 more");
		});
	}

	@Test
	void failsOnReportedLeaks() {
		this.runner.run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			context.getBean(Session.class);
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				System.gc();
				assertThat(registry.count("prototype", ResourceState.LEAKED)).isEqualTo(1);
			});
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> DisposablesAssert.assertThat(registry).hasNoLeaks())
				.withMessageContaining("Expected no leaked resources but 1 were garbage-collected")
				.withMessageContaining("bean 'session' (" + Session.class.getName() + ", scope prototype)");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Config {

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		Session session() {
			return new Session();
		}

	}

	@ReportsDisposal
	static class Session implements AutoCloseable {

		@Override
		public void close() {
			DisposalEvents.disposed(this);
		}

		@Override
		public String toString() {
			throw new AssertionError("never printed");
		}

	}

}
