package dev.disposables.spring.adapter;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.disposables.spring.DisposalMode;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link NettyDisposalAdapter} against real Netty 4.2 event loop groups.
 */
class NettyDisposalAdapterTests {

	private final ApplicationContextRunner runner = AdapterTestSupport.runner()
		.withUserConfiguration(GroupConfig.class);

	@Test
	void groupIsShutDownGracefullyNeverWithTheDeprecatedShutdown() {
		AtomicBoolean taskFinished = new AtomicBoolean();
		RecordingGroup[] holder = new RecordingGroup[1];
		this.runner.run((context) -> {
			assertThat(AdapterTestSupport.assertAdapted(context, "eventLoopGroup", "netty").mode())
				.isEqualTo(DisposalMode.ASYNC);
			RecordingGroup group = context.getBean(RecordingGroup.class);
			holder[0] = group;
			CountDownLatch started = new CountDownLatch(1);
			group.next().execute(() -> {
				started.countDown();
				sleep(200);
				taskFinished.set(true);
			});
			started.await(5, TimeUnit.SECONDS);
		});
		RecordingGroup group = holder[0];
		assertThat(group.isTerminated()).isTrue();
		assertThat(taskFinished).isTrue();
		assertThat(group.calls).containsExactly("shutdownGracefully");
		assertThat(AdapterTestSupport.liveThreads("adapter-test-loop")).isEmpty();
	}

	@Test
	void stuckGroupIsEscalatedToShutdownNowAtTheTimeout() {
		RecordingGroup[] holder = new RecordingGroup[1];
		CountDownLatch release = new CountDownLatch(1);
		long start = System.nanoTime();
		this.runner.withPropertyValues("disposables.shutdown.per-resource-timeout=300ms").run((context) -> {
			RecordingGroup group = context.getBean(RecordingGroup.class);
			holder[0] = group;
			CountDownLatch started = new CountDownLatch(1);
			// An event loop blocked by its task cannot finish a graceful shutdown.
			group.next().execute(() -> {
				started.countDown();
				awaitQuietly(release);
			});
			started.await(5, TimeUnit.SECONDS);
		});
		long closedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		try {
			// Netty's shutdownNow() calls shutdown() itself; the escalation runs on a
			// starter thread once abandoned.
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(holder[0].calls).startsWith("shutdownGracefully", "shutdownNow"));
			assertThat(closedAfterMillis).isLessThan(5_000);
		}
		finally {
			release.countDown();
		}
		assertThat(holder[0].terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void quietPeriodIsConfigurable() {
		// Only checks it binds; the quiet period itself is Netty's.
		this.runner.withPropertyValues("disposables.adapters.netty.quiet-period=0s")
			.run((context) -> assertThat(context).hasSingleBean(NettyDisposalAdapter.class));
		this.runner.withPropertyValues("disposables.adapters.netty.quiet-period=-1s")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void disabledAdapterLeavesSpringsShutdown() {
		RecordingGroup[] holder = new RecordingGroup[1];
		this.runner.withPropertyValues("disposables.adapters.netty.enabled=false")
			.run((context) -> holder[0] = context.getBean(RecordingGroup.class));
		assertThat(holder[0].calls).containsExactly("shutdown");
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class GroupConfig {

		@Bean
		RecordingGroup eventLoopGroup() {
			return new RecordingGroup();
		}

	}

	/** A real event loop group that records how it is stopped. */
	static class RecordingGroup extends MultiThreadIoEventLoopGroup {

		final List<String> calls = new CopyOnWriteArrayList<>();

		RecordingGroup() {
			super(2, new DefaultThreadFactory("adapter-test-loop"), NioIoHandler.newFactory());
		}

		@Override
		public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
			this.calls.add("shutdownGracefully");
			return super.shutdownGracefully(quietPeriod, timeout, unit);
		}

		@Override
		@Deprecated
		public void shutdown() {
			this.calls.add("shutdown");
			super.shutdown();
		}

		@Override
		@Deprecated
		public List<Runnable> shutdownNow() {
			this.calls.add("shutdownNow");
			return super.shutdownNow();
		}

	}

}
