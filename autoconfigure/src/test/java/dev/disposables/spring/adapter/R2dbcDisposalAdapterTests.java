package dev.disposables.spring.adapter;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.ResourceState;
import io.r2dbc.h2.H2ConnectionFactory;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Closeable;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link R2dbcDisposalAdapter} against a real r2dbc-pool {@link ConnectionPool} over an
 * in-memory H2 database (r2dbc-h2).
 */
class R2dbcDisposalAdapterTests {

	private final ApplicationContextRunner runner = AdapterTestSupport.runner();

	@Test
	void poolDeclaredWithBlockingDisposeIsDisposedLaterInstead() {
		RecordingPool[] holder = new RecordingPool[1];
		this.runner.withUserConfiguration(PoolConfig.class).run((context) -> {
			RecordingPool pool = context.getBean(RecordingPool.class);
			holder[0] = pool;
			AdapterTestSupport.assertAdapted(context, "connectionPool", "r2dbc");
			assertThat(selectOne(pool)).isEqualTo(1);
			RootBeanDefinition definition = (RootBeanDefinition) context.getBeanFactory()
				.getMergedBeanDefinition("connectionPool");
			assertThat(definition.isExternallyManagedDestroyMethod("dispose")).isTrue();
		});
		assertThat(holder[0].isDisposed()).isTrue();
		assertThat(holder[0].calls).containsExactly("disposeLater");
	}

	@Test
	void closeThatNeverCompletesIsCancelledAtTheTimeout() {
		NeverClosing factory = new NeverClosing();
		this.runner.withPropertyValues("disposables.shutdown.per-resource-timeout=300ms")
			.withBean("neverClosing", NeverClosing.class, () -> factory)
			.run((context) -> {
				DisposableRegistry registry = context.getBean(DisposableRegistry.class);
				AdapterTestSupport.assertAdapted(context, "neverClosing", "r2dbc");
				registry.addListener(new dev.disposables.spring.DisposableRegistryListener() {
					@Override
					public void onDisposed(dev.disposables.spring.DisposableResource resource, Duration duration,
							Throwable failure) {
						factory.outcome = resource.state();
					}
				});
			});
		await().atMost(Duration.ofSeconds(5)).untilTrue(factory.cancelled);
		assertThat(factory.outcome).isEqualTo(ResourceState.TIMED_OUT);
	}

	@Test
	void disabledAdapterLeavesTheDeclaredDispose() {
		RecordingPool[] holder = new RecordingPool[1];
		this.runner.withPropertyValues("disposables.adapters.r2dbc.enabled=false")
			.withUserConfiguration(PoolConfig.class)
			.run((context) -> holder[0] = context.getBean(RecordingPool.class));
		assertThat(holder[0].calls).startsWith("dispose");
	}

	private static Integer selectOne(ConnectionPool pool) {
		return Mono
			.usingWhen(pool.create(),
					(connection) -> Mono.from(connection.createStatement("SELECT 1").execute())
						.flatMap((result) -> Mono.from(result.map((row, metadata) -> row.get(0, Integer.class)))),
					Connection::close)
			.block(Duration.ofSeconds(10));
	}

	@Configuration(proxyBeanMethods = false)
	static class PoolConfig {

		// As Spring Boot's R2DBC auto-configuration declares its pool.
		@Bean(destroyMethod = "dispose")
		RecordingPool connectionPool() {
			return new RecordingPool(ConnectionPoolConfiguration.builder(H2ConnectionFactory.inMemory("adapters"))
				.initialSize(2)
				.maxSize(4)
				.build());
		}

	}

	/** A real pool that records how it is disposed. */
	static class RecordingPool extends ConnectionPool {

		final List<String> calls = new CopyOnWriteArrayList<>();

		RecordingPool(ConnectionPoolConfiguration configuration) {
			super(configuration);
		}

		@Override
		public void dispose() {
			this.calls.add("dispose");
			super.dispose();
		}

		@Override
		public Mono<Void> disposeLater() {
			this.calls.add("disposeLater");
			return super.disposeLater();
		}

	}

	/** A closeable connection factory whose close never completes. */
	static class NeverClosing implements ConnectionFactory, Closeable {

		final AtomicBoolean cancelled = new AtomicBoolean();

		volatile ResourceState outcome;

		private final ConnectionFactory delegate = H2ConnectionFactory.inMemory("never");

		@Override
		public Publisher<? extends Connection> create() {
			return this.delegate.create();
		}

		@Override
		public ConnectionFactoryMetadata getMetadata() {
			return this.delegate.getMetadata();
		}

		@Override
		public Publisher<Void> close() {
			return Mono.<Void>never().doOnCancel(() -> this.cancelled.set(true));
		}

	}

}
