package dev.disposables.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code disposables.prototypes.sampling-interval}: with weak tracking, one
 * application-owned prototype in N is tracked, chosen by identity hash; the others are
 * left to Spring as with tracking off. Every instance is still disposed exactly once by
 * whichever route reaches it.
 */
class PrototypeSamplingTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class))
		.withUserConfiguration(PrototypeConfig.class);

	@Test
	void tracksOneInNAndDisposesEveryInstanceExactlyOnce() {
		List<Connection> kept = new ArrayList<>();
		List<Connection> destroyed = new ArrayList<>();
		this.runner.withPropertyValues("disposables.prototypes.sampling-interval=4").run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			for (int i = 0; i < 200; i++) {
				Connection connection = context.getBean(Connection.class);
				((i % 2 == 0) ? kept : destroyed).add(connection);
			}
			long sampled = kept.stream().filter(registry.settings()::samplesPrototype).count()
					+ destroyed.stream().filter(registry.settings()::samplesPrototype).count();
			assertThat(registry.count("prototype", ResourceState.LIVE)).isEqualTo(sampled);
			for (Connection connection : kept) {
				assertThat(registry.findByInstance(connection).isPresent())
					.isEqualTo(registry.settings().samplesPrototype(connection));
			}
			// Spring's destruction reaches sampled and unsampled ones alike, once each.
			for (Connection connection : destroyed) {
				context.getBeanFactory().destroyBean("connection", connection);
			}
			for (Connection connection : destroyed) {
				assertThat(connection.closes.get()).isOne();
			}
		});
		for (Connection connection : destroyed) {
			assertThat(connection.closes.get()).as("not disposed again at shutdown").isOne();
		}
		for (Connection connection : kept) {
			// Only the sampled ones are the starter's to dispose at shutdown; the others,
			// as with tracking off.
			assertThat(connection.closes.get()).isEqualTo(connection.sampledBy4() ? 1 : 0);
		}
	}

	@Test
	void everyPrototypeIsTrackedByDefault() {
		this.runner.run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			List<Connection> kept = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				kept.add(context.getBean(Connection.class));
			}
			assertThat(registry.count("prototype", ResourceState.LIVE)).isEqualTo(50);
			assertThat(kept).allSatisfy((connection) -> assertThat(registry.findByInstance(connection)).isPresent());
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class PrototypeConfig {

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		Connection connection() {
			return new Connection();
		}

	}

	static class Connection implements AutoCloseable {

		final AtomicInteger closes = new AtomicInteger();

		boolean sampledBy4() {
			return Integer.remainderUnsigned(System.identityHashCode(this), 4) == 0;
		}

		@Override
		public void close() {
			this.closes.incrementAndGet();
		}

	}

}
