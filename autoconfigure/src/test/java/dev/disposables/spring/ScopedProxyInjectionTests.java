package dev.disposables.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesScopesAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scoped proxy (a {@code FactoryBean}) created because a singleton that is being created needs it, as in the
 * sample application (a {@code @DisposalScoped} component injected into a singleton created before it). Recording
 * the observed dependency once asked the factory whether the proxy was a prototype, which looked the
 * {@code FactoryBean} up while it was still being initialized, and start-up failed with "Requested bean is currently
 * in creation".
 */
class ScopedProxyInjectionTests {

	static final List<String> events = new CopyOnWriteArrayList<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class))
		.withUserConfiguration(ConsumerFirstConfig.class);

	@Test
	void aScopedProxyCreatedForASingletonBeingCreatedStartsAndDisposesPerScope() {
		events.clear();
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			Consumer consumer = context.getBean(Consumer.class);
			try (DisposalScope scope = context.getBean(DisposalScopes.class).open()) {
				consumer.use();
			}
			assertThat(events).containsExactly("used", "closed");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ConsumerFirstConfig {

		// Declared before the scoped bean: created first, so the proxy is created for it.
		@Bean
		Consumer consumer(Work work) {
			return new Consumer(work);
		}

		@Bean
		@DisposalScoped
		Work work() {
			return new Work();
		}

	}

	static class Work implements AutoCloseable {

		void use() {
			events.add("used");
		}

		@Override
		public void close() {
			events.add("closed");
		}

	}

	static class Consumer {

		private final Work work;

		Consumer(Work work) {
			this.work = work;
		}

		void use() {
			this.work.use();
		}

	}

}
