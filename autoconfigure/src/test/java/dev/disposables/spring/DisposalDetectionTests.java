package dev.disposables.spring;

import java.io.Closeable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.disposables.AsyncDisposable;
import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import jakarta.annotation.PreDestroy;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of disposable bean is detected following Spring's rules, disposed by the
 * starter, and each callback runs exactly once (Spring does not call it again).
 */
class DisposalDetectionTests {

	private final CallLog log = new CallLog();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class))
		.withBean(CallLog.class, () -> this.log);

	@Test
	void inferredCloseOfBeanMethodIsCalledOnce() {
		this.runner.withUserConfiguration(InferredConfig.class)
			.run((context) -> assertManaged(context.getBean(DisposableRegistry.class), "closer", "shutdowner"));
		assertThat(this.log.count("closer.close")).isEqualTo(1);
		assertThat(this.log.count("shutdowner.shutdown")).isEqualTo(1);
	}

	@Test
	void emptyDestroyMethodOptsOut() {
		this.runner.withUserConfiguration(OptOutConfig.class)
			.run((context) -> assertThat(context.getBean(DisposableRegistry.class).resources()).isEmpty());
		assertThat(this.log.calls()).isEmpty();
	}

	@Test
	void componentAutoCloseableIsClosedOnce() {
		this.runner.withBean("plain", PlainCloseable.class)
			.run((context) -> assertManaged(context.getBean(DisposableRegistry.class), "plain"));
		assertThat(this.log.calls()).containsExactly("plain.close");
	}

	@Test
	void executorServiceWithItsOwnCloseIsClosedAsInSpring() {
		// Spring 6.2.11+ calls an ExecutorService's close() unless it is the JDK 19+
		// default of the interface.
		this.runner.withBean("executor", RecordingExecutor.class)
			.run((context) -> assertManaged(context.getBean(DisposableRegistry.class), "executor"));
		assertThat(this.log.calls()).containsExactly("executor.close");
	}

	@Test
	void disposableBeanIsDestroyedOnce() {
		this.runner.withBean("destroyable", Destroyable.class)
			.run((context) -> assertManaged(context.getBean(DisposableRegistry.class), "destroyable"));
		assertThat(this.log.calls()).containsExactly("destroyable.destroy");
	}

	@Test
	void preDestroyMethodsRunSubclassFirstThenDisposableBeanAndNothingInferred() {
		this.runner.withBean("combined", Combined.class)
			.run((context) -> assertManaged(context.getBean(DisposableRegistry.class), "combined"));
		// As in Spring, no close() is inferred for a DisposableBean.
		assertThat(this.log.calls()).containsExactly("sub.preDestroy", "sub.privatePreDestroy", "base.preDestroy",
				"combined.destroy");
	}

	@Test
	void severalExplicitDestroyMethodsRunInDeclaredOrderOnce() {
		this.runner
			.withInitializer((context) -> ((GenericApplicationContext) context).registerBean("explicit", Explicit.class,
					(definition) -> ((AbstractBeanDefinition) definition).setDestroyMethodNames("flush", "release")))
			.run((context) -> assertManaged(context.getBean(DisposableRegistry.class), "explicit"));
		assertThat(this.log.calls()).containsExactly("explicit.flush", "explicit.release");
	}

	@Test
	void asyncDisposableIsDisposedThroughDisposeAsyncAfterSpringsOwnCallbacks() {
		this.runner.withBean("async", AsyncEverything.class).run((context) -> {
			DisposableResource resource = assertManaged(context.getBean(DisposableRegistry.class), "async");
			assertThat(resource.mode()).isEqualTo(DisposalMode.ASYNC);
		});
		// disposeAsync() instead of the inferred close(); @PreDestroy and destroy() run
		// first, as in Spring.
		assertThat(this.log.calls()).containsExactly("async.preDestroy", "async.destroy", "async.disposeAsync");
	}

	@Test
	void asyncDestroyMethodsOfEveryReturnTypeAreAwaited() {
		this.runner.withBean("stage", StageMethod.class)
			.withBean("future", FutureMethod.class)
			.withBean("reactive", ReactiveMethod.class)
			.withBean("flow", FlowMethod.class)
			.run((context) -> {
				DisposableRegistry registry = context.getBean(DisposableRegistry.class);
				for (String name : new String[] { "stage", "future", "reactive", "flow" }) {
					assertThat(assertManaged(registry, name).mode()).isEqualTo(DisposalMode.ASYNC);
				}
			});
		assertThat(this.log.calls()).containsExactlyInAnyOrder("stage.done", "future.done", "reactive.done",
				"flow.done");
		assertThat(this.log.calls()).doesNotContain("stage.close", "future.close");
	}

	@Test
	void explicitDestroyMethodReturningStageIsAsync() {
		this.runner.withUserConfiguration(ExplicitAsyncConfig.class)
			.run((context) -> assertThat(assertManaged(context.getBean(DisposableRegistry.class), "flusher").mode())
				.isEqualTo(DisposalMode.ASYNC));
		assertThat(this.log.calls()).containsExactly("flusher.flushAsync.done");
	}

	@Test
	void disabledStarterLeavesSpringBehaviour() {
		this.runner.withPropertyValues("disposables.enabled=false")
			.withBean("combined", Combined.class)
			.run((context) -> assertThat(context).doesNotHaveBean(DisposableRegistry.class));
		// As in Spring, no close() is inferred for a DisposableBean.
		assertThat(this.log.calls()).containsExactly("sub.preDestroy", "sub.privatePreDestroy", "base.preDestroy",
				"combined.destroy");
	}

	private static DisposableResource assertManaged(DisposableRegistry registry, String... beanNames) {
		DisposableResource last = null;
		for (String beanName : beanNames) {
			last = registry.resources()
				.stream()
				.filter((resource) -> resource.beanName().equals(beanName))
				.findFirst()
				.orElseThrow(() -> new AssertionError("bean '" + beanName + "' is not managed"));
			assertThat(last.state()).isEqualTo(ResourceState.LIVE);
			assertThat(last.scope()).isEqualTo("singleton");
		}
		return last;
	}

	@Configuration(proxyBeanMethods = false)
	static class InferredConfig {

		@Bean
		InferredClose closer(CallLog log) {
			return new InferredClose(log);
		}

		@Bean
		InferredShutdown shutdowner(CallLog log) {
			return new InferredShutdown(log);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OptOutConfig {

		@Bean(destroyMethod = "")
		PlainCloseable optedOut(CallLog log) {
			return new PlainCloseable(log);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ExplicitAsyncConfig {

		@Bean(destroyMethod = "flushAsync")
		ExplicitAsync flusher(CallLog log) {
			return new ExplicitAsync(log);
		}

	}

	static class InferredClose {

		private final CallLog log;

		InferredClose(CallLog log) {
			this.log = log;
		}

		public void close() {
			this.log.record("closer.close");
		}

	}

	static class InferredShutdown {

		private final CallLog log;

		InferredShutdown(CallLog log) {
			this.log = log;
		}

		public void shutdown() {
			this.log.record("shutdowner.shutdown");
		}

	}

	static class PlainCloseable implements Closeable {

		private final CallLog log;

		PlainCloseable(CallLog log) {
			this.log = log;
		}

		@Override
		public void close() {
			this.log.record("plain.close");
		}

	}

	static class RecordingExecutor extends ThreadPoolExecutor {

		private final CallLog log;

		RecordingExecutor(CallLog log) {
			super(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
			this.log = log;
		}

		@Override
		public void shutdown() {
			this.log.record("executor.shutdown");
			super.shutdown();
		}

		// On JDK 19+ this overrides ExecutorService.close(), which waits for tasks for up
		// to a day: being the class's own, Spring calls it (on JDK 17 too).
		public void close() {
			this.log.record("executor.close");
			super.shutdown();
		}

	}

	static class Destroyable implements DisposableBean {

		private final CallLog log;

		Destroyable(CallLog log) {
			this.log = log;
		}

		@Override
		public void destroy() {
			this.log.record("destroyable.destroy");
		}

	}

	abstract static class Base {

		protected final CallLog log;

		Base(CallLog log) {
			this.log = log;
		}

		@PreDestroy
		void basePreDestroy() {
			this.log.record("base.preDestroy");
		}

	}

	static class Combined extends Base implements DisposableBean, AutoCloseable {

		Combined(CallLog log) {
			super(log);
		}

		@PreDestroy
		public void subPreDestroy() {
			this.log.record("sub.preDestroy");
		}

		@PreDestroy
		private void privatePreDestroy() {
			this.log.record("sub.privatePreDestroy");
		}

		@Override
		public void destroy() {
			this.log.record("combined.destroy");
		}

		@Override
		public void close() {
			this.log.record("combined.close");
		}

	}

	static class Explicit {

		private final CallLog log;

		Explicit(CallLog log) {
			this.log = log;
		}

		public void flush() {
			this.log.record("explicit.flush");
		}

		public void release() {
			this.log.record("explicit.release");
		}

	}

	static class AsyncEverything implements AsyncDisposable, DisposableBean {

		private final CallLog log;

		AsyncEverything(CallLog log) {
			this.log = log;
		}

		@Override
		public CompletionStage<Void> disposeAsync() {
			return CompletableFuture.runAsync(() -> this.log.record("async.disposeAsync"),
					CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
		}

		@Override
		public void destroy() {
			this.log.record("async.destroy");
		}

		@Override
		public void close() {
			this.log.record("async.close");
		}

		@PreDestroy
		void preDestroy() {
			this.log.record("async.preDestroy");
		}

	}

	static class StageMethod implements AutoCloseable {

		private final CallLog log;

		StageMethod(CallLog log) {
			this.log = log;
		}

		public CompletionStage<Void> closeAsync() {
			return CompletableFuture.runAsync(() -> this.log.record("stage.done"),
					CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
		}

		@Override
		public void close() {
			this.log.record("stage.close");
		}

	}

	static class FutureMethod implements AutoCloseable {

		private final CallLog log;

		FutureMethod(CallLog log) {
			this.log = log;
		}

		public Future<String> shutdownAsync() {
			java.util.concurrent.FutureTask<String> task = new java.util.concurrent.FutureTask<>(() -> {
				this.log.record("future.done");
				return "ok";
			});
			new Thread(task).start();
			return task;
		}

		@Override
		public void close() {
			this.log.record("future.close");
		}

	}

	static class ReactiveMethod {

		private final CallLog log;

		ReactiveMethod(CallLog log) {
			this.log = log;
		}

		public Mono<Void> disposeAsync() {
			return Mono.delay(java.time.Duration.ofMillis(20))
				.then(Mono.fromRunnable(() -> this.log.record("reactive.done")));
		}

	}

	static class FlowMethod {

		private final CallLog log;

		FlowMethod(CallLog log) {
			this.log = log;
		}

		public Flow.Publisher<String> closeAsync() {
			SubmissionPublisher<String> publisher = new SubmissionPublisher<>();
			CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS).execute(() -> {
				this.log.record("flow.done");
				publisher.close();
			});
			return publisher;
		}

	}

	static class ExplicitAsync {

		private final CallLog log;

		ExplicitAsync(CallLog log) {
			this.log = log;
		}

		public CompletableFuture<Void> flushAsync() {
			return CompletableFuture.runAsync(() -> this.log.record("flusher.flushAsync.done"),
					CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
		}

	}

}
