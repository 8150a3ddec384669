package dev.disposables.spring;

import java.util.ArrayList;
import java.util.List;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import jakarta.annotation.PreDestroy;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 22 item 5: with {@code disposables.prototypes.sampling-interval}, an instance
 * that is not sampled gets exactly what stock Spring gives it when
 * {@code destroyBean(Object)} destroys it (its {@code @PreDestroy} methods, which the
 * starter took over for the definition, included); a sampled one is disposed by the
 * starter. Differential: the same calls on stock Spring.
 */
class SampledPrototypeDestructionTests {

	private static final int INSTANCES = 100;

	private final ApplicationContextRunner stock = new ApplicationContextRunner()
		.withUserConfiguration(Prototypes.class);

	private final ApplicationContextRunner starter = this.stock
		.withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class))
		.withPropertyValues("disposables.prototypes.sampling-interval=4");

	@Test
	void anUnsampledInstanceGetsWhatStockSpringGivesIt() {
		List<Released> stockReleased = new ArrayList<>();
		List<Closed> stockClosed = new ArrayList<>();
		this.stock.run((context) -> destroyEach(context, stockReleased, stockClosed, null));
		assertThat(stockReleased).allSatisfy((instance) -> assertThat(instance.preDestroyCalls).isEqualTo(1));
		assertThat(stockClosed).allSatisfy((instance) -> assertThat(instance.closeCalls).isZero());

		List<Released> released = new ArrayList<>();
		List<Closed> closed = new ArrayList<>();
		List<Object> sampled = new ArrayList<>();
		this.starter.run((context) -> destroyEach(context, released, closed, sampled));
		// After the shutdown too: each @PreDestroy exactly once, as with stock Spring.
		assertThat(released).hasSize(INSTANCES)
			.allSatisfy((instance) -> assertThat(instance.preDestroyCalls).isEqualTo(1));
		// A plain AutoCloseable: stock Spring's destroyBean(Object) does not close it,
		// and
		// neither does the starter unless it tracks the instance (then it disposes it).
		assertThat(closed).hasSize(INSTANCES).allSatisfy((instance) -> {
			boolean isSampled = sampled.stream().anyMatch((candidate) -> candidate == instance);
			assertThat(instance.closeCalls).isEqualTo(isSampled ? 1 : 0);
		});
		assertThat(sampled).as("one in four instances tracked, about").isNotEmpty().hasSizeLessThan(2 * INSTANCES);
	}

	private static void destroyEach(ApplicationContext context, List<Released> released, List<Closed> closed,
			List<Object> sampled) {
		AutowireCapableBeanFactory factory = context.getAutowireCapableBeanFactory();
		DisposableRegistry registry = (sampled != null) ? context.getBean(DisposableRegistry.class) : null;
		for (int i = 0; i < INSTANCES; i++) {
			Released one = context.getBean(Released.class);
			Closed other = context.getBean(Closed.class);
			if (registry != null) {
				registry.findByInstance(one).ifPresent((resource) -> sampled.add(one));
				registry.findByInstance(other).ifPresent((resource) -> sampled.add(other));
			}
			factory.destroyBean(one);
			factory.destroyBean(other);
			released.add(one);
			closed.add(other);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Prototypes {

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		Released released() {
			return new Released();
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		Closed closed() {
			return new Closed();
		}

	}

	static class Released {

		volatile int preDestroyCalls;

		@PreDestroy
		void release() {
			this.preDestroyCalls++;
		}

	}

	static class Closed implements AutoCloseable {

		volatile int closeCalls;

		@Override
		public void close() {
			this.closeCalls++;
		}

	}

}
