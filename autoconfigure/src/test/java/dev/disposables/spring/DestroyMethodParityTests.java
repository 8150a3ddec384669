package dev.disposables.spring;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import dev.disposables.AsyncDisposable;
import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import io.reactivex.rxjava3.core.Completable;
import jakarta.annotation.PreDestroy;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which destruction callbacks run, stock Spring and the starter side by side on the same
 * beans: declared destroy methods beside an async way, {@code ExecutorService}s with a
 * {@code close()} of their own, and destroy methods returning an async type only Spring's
 * {@code ReactiveAdapterRegistry} knows (RxJava's {@code Completable}).
 */
class DestroyMethodParityTests {

	// ---- a declared destroy method beside an async way
	// ------------------------------------------------------------

	@Test
	void aDeclaredDestroyMethodRunsInsteadOfTheAsyncMethod() {
		List<String> stock = calls(false, (runner) -> runner.withUserConfiguration(DeclaredStopConfig.class));
		List<String> starter = calls(true, (runner) -> runner.withUserConfiguration(DeclaredStopConfig.class));
		assertThat(stock).containsExactly("client.preDestroy", "client.stop");
		assertThat(starter).isEqualTo(stock);
	}

	@Test
	void aDeclaredDestroyMethodOfAnAsyncDisposableRunsInsteadOfDisposeAsync() {
		UnaryOperator<ApplicationContextRunner> beans = (runner) -> runner
			.withUserConfiguration(DeclaredStopOnAsyncDisposableConfig.class);
		List<String> stock = calls(false, beans);
		List<String> starter = calls(true, beans);
		assertThat(stock).containsExactly("disposable.stop");
		assertThat(starter).isEqualTo(stock);
	}

	/**
	 * Async-first replaces only the destroy method Spring infers ({@code close()}):
	 * Spring's other callbacks, {@code @PreDestroy} and {@code DisposableBean.destroy()},
	 * run first, as in stock Spring.
	 */
	@Test
	void theAsyncMethodReplacesTheInferredCloseButNotPreDestroyOrDestroy() {
		List<String> stock = calls(false, (runner) -> runner.withUserConfiguration(InferredConfig.class));
		List<String> starter = calls(true, (runner) -> runner.withUserConfiguration(InferredConfig.class));
		assertThat(stock).containsExactly("closeable.preDestroy", "closeable.close");
		assertThat(starter).containsExactly("closeable.preDestroy", "closeable.closeAsync");
	}

	@Test
	void preDestroyAndDestroyOfAnAsyncDisposableRunBeforeDisposeAsync() {
		List<String> stock = calls(false, (runner) -> runner.withBean("everything", Everything.class));
		List<String> starter = calls(true, (runner) -> runner.withBean("everything", Everything.class));
		// Stock Spring infers no close() for a DisposableBean: disposeAsync() is the
		// starter's addition.
		assertThat(stock).containsExactly("everything.preDestroy", "everything.destroy");
		assertThat(starter).containsExactly("everything.preDestroy", "everything.destroy", "everything.disposeAsync");
	}

	// ---- ExecutorService
	// ------------------------------------------------------------------------------------------

	@Test
	void anExecutorServiceWithItsOwnCloseIsClosedAsSpringDoes() {
		UnaryOperator<ApplicationContextRunner> beans = (runner) -> runner.withBean("registered", ClosingExecutor.class)
			.withUserConfiguration(ExecutorConfig.class);
		List<String> stock = calls(false, beans);
		List<String> starter = calls(true, beans);
		assertThat(stock).containsExactlyInAnyOrder("registered.close", "declared.close", "plain.shutdown");
		assertThat(starter).containsExactlyInAnyOrderElementsOf(stock);
	}

	// ---- async types of Spring's ReactiveAdapterRegistry
	// ------------------------------------------------------------

	@Test
	void aDestroyMethodReturningACompletableIsSubscribedAndAwaited() {
		UnaryOperator<ApplicationContextRunner> beans = (runner) -> runner.withUserConfiguration(RxConfig.class);
		List<String> stock = calls(false, beans);
		List<String> starter = calls(true, beans);
		assertThat(stock).containsExactlyInAnyOrder("declared.released", "inferred.closed");
		assertThat(starter).containsExactlyInAnyOrderElementsOf(stock);
	}

	@Test
	void aCompletableReturnedAsAnObjectIsAwaitedToo() {
		UnaryOperator<ApplicationContextRunner> beans = (runner) -> runner.withUserConfiguration(UntypedRxConfig.class);
		List<String> stock = calls(false, beans);
		List<String> starter = calls(true, beans);
		assertThat(stock).containsExactly("untyped.released");
		assertThat(starter).isEqualTo(stock);
	}

	@Test
	void destroyMethodsReturningACompletableAreAsyncDisposals() {
		CallLog log = new CallLog();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class))
			.withBean(CallLog.class, () -> log)
			.withUserConfiguration(RxConfig.class)
			.withBean("asyncMethod", RxCloseAsync.class)
			.run((context) -> {
				DisposableRegistry registry = context.getBean(DisposableRegistry.class);
				for (String name : List.of("declared", "inferred", "asyncMethod")) {
					assertThat(registry.resources()).filteredOn((resource) -> resource.beanName().equals(name))
						.singleElement()
						.satisfies((resource) -> assertThat(resource.mode()).isEqualTo(DisposalMode.ASYNC));
				}
			});
		assertThat(log.calls()).containsExactlyInAnyOrder("declared.released", "inferred.closed", "asyncMethod.closed");
	}

	/**
	 * Runs the beans in a context, stock or with the starter, and returns the callbacks
	 * its close ran, in order.
	 */
	private static List<String> calls(boolean withStarter, UnaryOperator<ApplicationContextRunner> beans) {
		CallLog log = new CallLog();
		ApplicationContextRunner runner = new ApplicationContextRunner().withBean(CallLog.class, () -> log);
		if (withStarter) {
			runner = runner.withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class));
		}
		beans.apply(runner).run((context) -> assertThat(context).hasNotFailed());
		return log.calls();
	}

	// ---- fixtures
	// ------------------------------------------------------------------------------------------------

	@Configuration(proxyBeanMethods = false)
	static class DeclaredStopConfig {

		@Bean(destroyMethod = "stop")
		StoppableClient client(CallLog log) {
			return new StoppableClient(log, "client");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DeclaredStopOnAsyncDisposableConfig {

		@Bean(destroyMethod = "stop")
		StoppableDisposable disposable(CallLog log) {
			return new StoppableDisposable(log);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InferredConfig {

		@Bean
		StoppableClient closeable(CallLog log) {
			return new StoppableClient(log, "closeable");
		}

	}

	/** Closeable three ways: {@code close()}, {@code closeAsync()} and {@code stop()}. */
	static class StoppableClient implements AutoCloseable {

		private final CallLog log;

		private final String name;

		StoppableClient(CallLog log, String name) {
			this.log = log;
			this.name = name;
		}

		@PreDestroy
		void preDestroy() {
			this.log.record(this.name + ".preDestroy");
		}

		public CompletionStage<Void> closeAsync() {
			this.log.record(this.name + ".closeAsync");
			return CompletableFuture.completedFuture(null);
		}

		public void stop() {
			this.log.record(this.name + ".stop");
		}

		@Override
		public void close() {
			this.log.record(this.name + ".close");
		}

	}

	static class StoppableDisposable implements AsyncDisposable {

		private final CallLog log;

		StoppableDisposable(CallLog log) {
			this.log = log;
		}

		@Override
		public CompletionStage<Void> disposeAsync() {
			this.log.record("disposable.disposeAsync");
			return CompletableFuture.completedFuture(null);
		}

		public void stop() {
			this.log.record("disposable.stop");
		}

	}

	static class Everything implements AsyncDisposable, DisposableBean {

		private final CallLog log;

		Everything(CallLog log) {
			this.log = log;
		}

		@PreDestroy
		void preDestroy() {
			this.log.record("everything.preDestroy");
		}

		@Override
		public void destroy() {
			this.log.record("everything.destroy");
		}

		@Override
		public CompletionStage<Void> disposeAsync() {
			this.log.record("everything.disposeAsync");
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public void close() {
			this.log.record("everything.close");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ExecutorConfig {

		@Bean
		ClosingExecutor declared(CallLog log) {
			return new ClosingExecutor(log, "declared");
		}

		@Bean
		PlainExecutor plain(CallLog log) {
			return new PlainExecutor(log);
		}

	}

	/**
	 * Overrides {@code close()} (on JDK 19+ the one of {@code ExecutorService}; on JDK 17
	 * a public method of its own): Spring calls it, not {@code shutdown()}.
	 */
	static class ClosingExecutor extends ThreadPoolExecutor {

		private final CallLog log;

		private final String name;

		@Autowired
		ClosingExecutor(CallLog log) {
			this(log, "registered");
		}

		ClosingExecutor(CallLog log, String name) {
			super(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
			this.log = log;
			this.name = name;
		}

		@Override
		public void shutdown() {
			this.log.record(this.name + ".shutdown");
			super.shutdown();
		}

		public void close() {
			this.log.record(this.name + ".close");
			super.shutdown();
		}

	}

	static class PlainExecutor extends ThreadPoolExecutor {

		private final CallLog log;

		PlainExecutor(CallLog log) {
			super(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
			this.log = log;
		}

		@Override
		public void shutdown() {
			this.log.record("plain.shutdown");
			super.shutdown();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RxConfig {

		@Bean(destroyMethod = "release")
		RxRelease declared(CallLog log) {
			return new RxRelease(log);
		}

		@Bean
		RxClose inferred(CallLog log) {
			return new RxClose(log);
		}

	}

	/**
	 * The {@code Completable}s are cold: nothing happens unless someone subscribes.
	 */
	static class RxRelease {

		private final CallLog log;

		RxRelease(CallLog log) {
			this.log = log;
		}

		public Completable release() {
			return Completable.timer(20, TimeUnit.MILLISECONDS)
				.andThen(Completable.fromRunnable(() -> this.log.record("declared.released")));
		}

	}

	/** Not {@code AutoCloseable}: Spring infers its public {@code close()}. */
	static class RxClose {

		private final CallLog log;

		RxClose(CallLog log) {
			this.log = log;
		}

		public Completable close() {
			return Completable.timer(20, TimeUnit.MILLISECONDS)
				.andThen(Completable.fromRunnable(() -> this.log.record("inferred.closed")));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UntypedRxConfig {

		@Bean(destroyMethod = "release")
		UntypedRxRelease untyped(CallLog log) {
			return new UntypedRxRelease(log);
		}

	}

	/** Its destroy method does not say it is async: Spring looks at the value. */
	static class UntypedRxRelease {

		private final CallLog log;

		UntypedRxRelease(CallLog log) {
			this.log = log;
		}

		public Object release() {
			return Completable.timer(20, TimeUnit.MILLISECONDS)
				.andThen(Completable.fromRunnable(() -> this.log.record("untyped.released")));
		}

	}

	/** Stock Spring knows no {@code closeAsync()}: the starter's addition. */
	static class RxCloseAsync {

		private final CallLog log;

		RxCloseAsync(CallLog log) {
			this.log = log;
		}

		public Completable closeAsync() {
			return Completable.timer(20, TimeUnit.MILLISECONDS)
				.andThen(Completable.fromRunnable(() -> this.log.record("asyncMethod.closed")));
		}

	}

}
