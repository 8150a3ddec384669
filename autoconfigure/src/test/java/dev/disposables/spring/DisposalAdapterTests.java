package dev.disposables.spring;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import dev.disposables.boot.actuate.DisposablesEndpoint;
import dev.disposables.boot.actuate.DisposablesMetrics;
import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposalAdaptersAutoConfiguration;
import dev.disposables.spring.adapter.CassandraDisposalAdapter;
import dev.disposables.spring.adapter.GrpcDisposalAdapter;
import dev.disposables.spring.adapter.HttpClient5DisposalAdapter;
import dev.disposables.spring.adapter.LettuceDisposalAdapter;
import dev.disposables.spring.adapter.NettyDisposalAdapter;
import dev.disposables.spring.adapter.OkHttpDisposalAdapter;
import dev.disposables.spring.adapter.R2dbcDisposalAdapter;
import dev.disposables.spring.adapter.ReactorDisposalAdapter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.annotation.PreDestroy;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.context.annotation.Scope;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@link DisposalAdapter} SPI: consulted before the generic rules, part of the plan
 * cached per class and definition, replacing the destroy methods it declares (and only
 * those), escalated at the timeout, visible in the endpoint and the metrics.
 */
class DisposalAdapterTests {

	private static CallLog log = new CallLog();

	private static final AtomicInteger supportsCalls = new AtomicInteger();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DisposablesAutoConfiguration.class, DisposalAdaptersAutoConfiguration.class))
		.withUserConfiguration(AdapterConfig.class);

	DisposalAdapterTests() {
		log = new CallLog();
		supportsCalls.set(0);
	}

	@Test
	void adapterComesBeforeTheGenericRulesAndShowsPerResource() {
		this.runner.withBean("pipe", Pipe.class).run((context) -> {
			DisposableResource resource = context.getBean(DisposableRegistry.class).resources().get(0);
			assertThat(resource.adapter()).isEqualTo("test");
			assertThat(resource.mode()).isEqualTo(DisposalMode.ASYNC);
			DisposablesEndpoint endpoint = new DisposablesEndpoint(context.getBean(DisposableRegistry.class),
					Show.ALWAYS);
			assertThat(endpoint.disposables(null, null, null).resources()).singleElement()
				.satisfies((descriptor) -> assertThat(descriptor.adapter()).isEqualTo("test"));
		});
		// close() is what Spring would infer: the adapter replaced it, and Spring did not
		// call it afterwards.
		assertThat(log.calls()).containsExactly("adapter.pipe");
	}

	@Test
	void replacedDeclaredDestroyMethodIsNotCalledBySpring() {
		this.runner.withUserConfiguration(DeclaredReleaseConfig.class).run((context) -> {
			RootBeanDefinition definition = (RootBeanDefinition) context.getBeanFactory()
				.getMergedBeanDefinition("pipe");
			assertThat(definition.isExternallyManagedDestroyMethod("release")).isTrue();
		});
		assertThat(log.calls()).containsExactly("adapter.pipe");
	}

	@Test
	void declaredDestroyMethodTheAdapterDoesNotReplaceKeepsTheGenericRules() {
		this.runner.withUserConfiguration(DeclaredFlushConfig.class)
			.run((context) -> assertThat(context.getBean(DisposableRegistry.class).resources()).singleElement()
				.satisfies((resource) -> assertThat(resource.adapter()).isNull()));
		assertThat(log.calls()).containsExactly("pipe.flush");
	}

	@Test
	void preDestroyMethodsRunBeforeTheAdapter() {
		this.runner.withBean("pipe", AnnotatedPipe.class).run((context) -> {
		});
		assertThat(log.calls()).containsExactly("pipe.preDestroy", "adapter.pipe");
	}

	@Test
	void planIsComputedOncePerClassNotPerInstance() {
		this.runner.withUserConfiguration(PrototypeConfig.class).run((context) -> {
			for (int i = 0; i < 50; i++) {
				context.getBean("prototypePipe");
			}
			assertThat(supportsCalls.get()).isEqualTo(1);
		});
		assertThat(log.count("adapter.pipe")).isEqualTo(50);
	}

	@Test
	void escalationRunsAtTheTimeoutOnly() {
		this.runner.withPropertyValues("disposables.shutdown.per-resource-timeout=200ms")
			.withBean("pipe", Pipe.class)
			.withBean("stuck", StuckPipe.class)
			.run((context) -> {
			});
		// The escalation runs on a starter thread once the attempt is abandoned.
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(log.calls()).containsExactlyInAnyOrder("adapter.pipe", "adapter.stuck",
					"escalate.stuck"));
	}

	@Test
	void disposalIsTimedWithTheAdapterTag() {
		this.runner.withUserConfiguration(PrototypeConfig.class).run((context) -> {
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			new DisposablesMetrics(context.getBean(DisposableRegistry.class)).bindTo(meters);
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			registry.dispose(context.getBean("prototypePipe")).toCompletableFuture().join();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(meters.find(DisposablesMetrics.DISPOSAL)
					.tag("adapter", "test")
					.tag("mode", "async")
					.tag("outcome", "success")
					.timer()).isNotNull());
		});
	}

	@Test
	void everyBuiltInAdapterIsConfiguredWhenItsLibraryIsPresent() {
		this.runner.run((context) -> assertThat(context.getBeanNamesForType(DisposalAdapter.class)).hasSize(9));
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(NettyDisposalAdapter.class)
				.hasSingleBean(R2dbcDisposalAdapter.class)
				.hasSingleBean(LettuceDisposalAdapter.class)
				.hasSingleBean(GrpcDisposalAdapter.class)
				.hasSingleBean(ReactorDisposalAdapter.class)
				.hasSingleBean(HttpClient5DisposalAdapter.class)
				.hasSingleBean(CassandraDisposalAdapter.class)
				.hasSingleBean(OkHttpDisposalAdapter.class);
			List<DisposalAdapter> ordered = context.getBeanProvider(DisposalAdapter.class).orderedStream().toList();
			assertThat(ordered.get(0).name()).isEqualTo("test");
			assertThat(ordered.indexOf(context.getBean(R2dbcDisposalAdapter.class)))
				.isLessThan(ordered.indexOf(context.getBean(ReactorDisposalAdapter.class)));
		});
	}

	@Test
	void eachBuiltInAdapterCanBeTurnedOff() {
		this.runner
			.withPropertyValues("disposables.adapters.netty.enabled=false", "disposables.adapters.r2dbc.enabled=false",
					"disposables.adapters.lettuce.enabled=false", "disposables.adapters.grpc.enabled=false",
					"disposables.adapters.reactor.enabled=false", "disposables.adapters.httpclient5.enabled=false",
					"disposables.adapters.cassandra.enabled=false", "disposables.adapters.okhttp.enabled=false")
			.run((context) -> assertThat(context.getBeanNamesForType(DisposalAdapter.class))
				.containsExactly("testAdapter"));
	}

	@Test
	void noAdapterWhenTheStarterIsDisabled() {
		this.runner.withPropertyValues("disposables.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(NettyDisposalAdapter.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class AdapterConfig {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		@Order(0)
		static DisposalAdapter testAdapter() {
			return new TestAdapter();
		}

	}

	static class TestAdapter implements DisposalAdapter {

		@Override
		public String name() {
			return "test";
		}

		@Override
		public boolean supports(Class<?> type) {
			boolean supported = Pipe.class.isAssignableFrom(type);
			if (supported) {
				supportsCalls.incrementAndGet();
			}
			return supported;
		}

		@Override
		public Set<String> replacedDestroyMethods(Class<?> type) {
			return Set.of("release");
		}

		@Override
		public CompletionStage<Void> dispose(Object instance, Context context) {
			Pipe pipe = (Pipe) instance;
			log.record("adapter." + pipe.name());
			if (pipe instanceof StuckPipe) {
				context.onTimeout(() -> log.record("escalate." + pipe.name()));
				return new CompletableFuture<>();
			}
			context.onTimeout(() -> log.record("escalate." + pipe.name()));
			return CompletableFuture.completedFuture(null);
		}

	}

	static class Pipe implements AutoCloseable {

		String name() {
			return "pipe";
		}

		public void release() {
			log.record(name() + ".release");
		}

		public void flush() {
			log.record(name() + ".flush");
		}

		@Override
		public void close() {
			log.record(name() + ".close");
		}

	}

	static class StuckPipe extends Pipe {

		@Override
		String name() {
			return "stuck";
		}

	}

	static class AnnotatedPipe extends Pipe {

		@PreDestroy
		void preDestroy() {
			log.record("pipe.preDestroy");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DeclaredReleaseConfig {

		@Bean(destroyMethod = "release")
		Pipe pipe() {
			return new Pipe();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DeclaredFlushConfig {

		@Bean(destroyMethod = "flush")
		Pipe pipe() {
			return new Pipe();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PrototypeConfig {

		@Bean
		@Scope("prototype")
		Pipe prototypePipe() {
			return new Pipe();
		}

	}

}
