package dev.disposables.test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.disposables.AsyncDisposable;
import dev.disposables.DisposableBase;
import dev.disposables.DisposalEvents;
import dev.disposables.ReportsDisposal;
import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesScopesAutoConfiguration;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Scope;

/**
 * The application the leak-check tests run: a few disposable prototypes and a lazy
 * singleton that owns one.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class })
class LeakCheckTestApplication {

	/**
	 * Instances a test keeps reachable on purpose (so that they stay undisposed, not
	 * leaked).
	 */
	static final List<Object> kept = new CopyOnWriteArrayList<>();

	@Bean
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	Session session() {
		return new Session();
	}

	@Bean
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	Session otherSession() {
		return new Session();
	}

	@Bean
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	PlainSession plainSession() {
		return new PlainSession();
	}

	@Bean
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	BaseSession baseSession() {
		return new BaseSession();
	}

	@Bean
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	SlowSession slowSession() {
		return new SlowSession();
	}

	@Bean
	@Lazy
	Holder holder(Session session) {
		return new Holder(session);
	}

	@ReportsDisposal
	static class Session implements AutoCloseable {

		@Override
		public void close() {
			DisposalEvents.disposed(this);
		}

		@Override
		public String toString() {
			throw new AssertionError("a failure message must never print an instance");
		}

	}

	/** Does not announce its disposal: a close() called directly is invisible. */
	static class PlainSession implements AutoCloseable {

		@Override
		public void close() {
		}

	}

	/** Announces its disposal, as every {@code DisposableBase}. */
	static class BaseSession extends DisposableBase {

	}

	/** Disposed asynchronously, in 200 ms. */
	static class SlowSession implements AsyncDisposable {

		@Override
		public CompletionStage<Void> disposeAsync() {
			return CompletableFuture.runAsync(() -> {
			}, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
		}

	}

	/**
	 * A lazy singleton, created by the first test that asks: its injected session is its
	 * business.
	 */
	record Holder(Session session) {

	}

}
