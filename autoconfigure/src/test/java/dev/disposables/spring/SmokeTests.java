package dev.disposables.spring;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.disposables.AsyncDisposable;
import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import jakarta.annotation.PreDestroy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTests {

	static final List<String> events = new CopyOnWriteArrayList<>();

	@Test
	void disposesInOrder() {
		events.clear();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class))
			.withUserConfiguration(Config.class)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(events).containsExactly("b-predestroy", "b-close", "a-async");
	}

	@Configuration(proxyBeanMethods = false)
	static class Config {

		@Bean
		A a() {
			return new A();
		}

		@Bean
		B b(A a) {
			return new B();
		}

	}

	static class A implements AsyncDisposable, AutoCloseable {

		@Override
		public CompletionStage<Void> disposeAsync() {
			events.add("a-async");
			return CompletableFuture.completedFuture(null);
		}

		@PreDestroy
		void never() {
			events.add("a-predestroy");
		}

	}

	static class B implements AutoCloseable {

		@PreDestroy
		void pre() {
			events.add("b-predestroy");
		}

		@Override
		public void close() {
			events.add("b-close");
		}

	}

}
