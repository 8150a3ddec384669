package dev.disposables.spring.adapter;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link ReactorDisposalAdapter} against real Reactor schedulers and disposables, which
 * Spring ignores.
 */
class ReactorDisposalAdapterTests {

	private final ApplicationContextRunner runner = AdapterTestSupport.runner();

	@Test
	void schedulerIsDisposedGracefullyAfterItsRunningTask() {
		AtomicBoolean finished = new AtomicBoolean();
		Scheduler[] holder = new Scheduler[1];
		this.runner.withUserConfiguration(SchedulerConfig.class).run((context) -> {
			AdapterTestSupport.assertAdapted(context, "scheduler", "reactor");
			Scheduler scheduler = context.getBean(Scheduler.class);
			holder[0] = scheduler;
			CountDownLatch started = new CountDownLatch(1);
			scheduler.schedule(() -> {
				started.countDown();
				sleep(200);
				finished.set(true);
			});
			assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		});
		assertThat(finished).isTrue();
		assertThat(holder[0].isDisposed()).isTrue();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(AdapterTestSupport.liveThreads("adapter-test-elastic")).isEmpty());
	}

	@Test
	void stuckSchedulerIsDisposedForcefullyAtTheTimeout() {
		AtomicBoolean interrupted = new AtomicBoolean();
		this.runner.withPropertyValues("disposables.shutdown.per-resource-timeout=300ms")
			.withUserConfiguration(SchedulerConfig.class)
			.run((context) -> {
				CountDownLatch started = new CountDownLatch(1);
				context.getBean(Scheduler.class).schedule(() -> {
					started.countDown();
					try {
						Thread.sleep(10_000);
					}
					catch (InterruptedException ex) {
						interrupted.set(true);
					}
				});
				assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
			});
		await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
	}

	@Test
	void disposableIsDisposed() {
		Disposable child = Disposables.single();
		Disposable.Composite composite = Disposables.composite(child);
		this.runner.withBean("subscriptions", Disposable.Composite.class, () -> composite)
			.run((context) -> AdapterTestSupport.assertAdapted(context, "subscriptions", "reactor"));
		assertThat(composite.isDisposed()).isTrue();
		assertThat(child.isDisposed()).isTrue();
	}

	@Test
	void closeableDisposableIsLeftToSpringsRules() {
		CloseableDisposable bean = new CloseableDisposable();
		this.runner.withBean("closeable", CloseableDisposable.class, () -> bean)
			.run((context) -> AdapterTestSupport.assertAdapted(context, "closeable", null));
		assertThat(bean.closed).isTrue();
		assertThat(bean.isDisposed()).isFalse();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class SchedulerConfig {

		@Bean
		Scheduler scheduler() {
			return Schedulers.newBoundedElastic(2, 10, "adapter-test-elastic");
		}

	}

	static class CloseableDisposable implements Disposable, AutoCloseable {

		volatile boolean closed;

		private volatile boolean disposed;

		@Override
		public void close() {
			this.closed = true;
		}

		@Override
		public void dispose() {
			this.disposed = true;
		}

		@Override
		public boolean isDisposed() {
			return this.disposed;
		}

	}

}
