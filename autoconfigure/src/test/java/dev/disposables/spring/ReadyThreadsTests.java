package dev.disposables.spring;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code disposables.shutdown.ready-threads}: platform disposal threads started once the
 * application has started, kept idle, and used by the shutdown instead of threads started
 * on demand; one by default.
 */
class ReadyThreadsTests {

	private static final int READY = 8;

	/** Fewer than the ready threads: the engine's own steps may hold a ready thread. */
	private static final int BLOCKING = 4;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class))
		.withUserConfiguration(BlockingBeans.class)
		.withPropertyValues("disposables.shutdown.ready-threads=" + READY);

	@Test
	void shutdownRunsSyncDisposalsOnThreadsStartedBeforeItAndTheyEndWithTheContext() {
		Set<Thread> before = disposalThreads();
		Set<Thread> ready = ConcurrentHashMap.newKeySet();
		BlockingBeans.closedOn.clear();
		this.runner.run((context) -> {
			ready.addAll(disposalThreads());
			ready.removeAll(before);
			assertThat(ready).as("started with the application, idle until the shutdown").hasSize(READY);
			assertThat(ready).allSatisfy((thread) -> assertThat(thread.isDaemon()).isTrue());
		});
		// Every disposal blocked on the same latch: each one had its own thread, all of
		// them among the threads started before the shutdown.
		assertThat(BlockingBeans.closedOn).hasSize(BLOCKING).isSubsetOf(ready);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(ready).as("ended with the context").noneMatch(Thread::isAlive));
	}

	@Test
	void byDefaultOneThreadIsReadyAndEndsWithTheContext() {
		Set<Thread> before = disposalThreads();
		Set<Thread> ready = ConcurrentHashMap.newKeySet();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class))
			.run((context) -> {
				ready.addAll(disposalThreads());
				ready.removeAll(before);
				assertThat(ready).as("one thread, started with the application").hasSize(1);
			});
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(ready).as("ended with the context").noneMatch(Thread::isAlive));
	}

	@Test
	void withZeroNoThreadIsStartedBeforeTheShutdown() {
		Set<Thread> before = disposalThreads();
		this.runner.withPropertyValues("disposables.shutdown.ready-threads=0").run((context) -> {
			Set<Thread> started = disposalThreads();
			started.removeAll(before);
			assertThat(started).isEmpty();
		});
	}

	private static Set<Thread> disposalThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith("disposables-dispose-"))
			.collect(Collectors.toSet());
	}

	@Configuration(proxyBeanMethods = false)
	static class BlockingBeans {

		static final Set<Thread> closedOn = ConcurrentHashMap.newKeySet();

		/**
		 * Released once every disposal is running: none can finish before the others
		 * start.
		 */
		private final CountDownLatch allRunning = new CountDownLatch(BLOCKING);

		@Bean
		AutoCloseable blocking0() {
			return this::close;
		}

		@Bean
		AutoCloseable blocking1() {
			return this::close;
		}

		@Bean
		AutoCloseable blocking2() {
			return this::close;
		}

		@Bean
		AutoCloseable blocking3() {
			return this::close;
		}

		private void close() throws InterruptedException {
			closedOn.add(Thread.currentThread());
			this.allRunning.countDown();
			this.allRunning.await(10, TimeUnit.SECONDS);
		}

	}

}
