package dev.disposables.boot.actuate;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.disposables.AsyncDisposable;
import dev.disposables.DisposalEvents;
import dev.disposables.ReportsDisposal;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

/**
 * Prototype resources of every kind, for the metrics and endpoint tests. None may be
 * printed.
 */
@Configuration(proxyBeanMethods = false)
class TestResources {

	@Bean
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	Connection connection() {
		return new Connection();
	}

	@Bean
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	AsyncChannel asyncChannel() {
		return new AsyncChannel();
	}

	@Bean
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	Broken broken() {
		return new Broken();
	}

	@Bean
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	Slow slow() {
		return new Slow();
	}

	abstract static class Unprintable {

		@Override
		public String toString() {
			throw new AssertionError("toString() must never be called on a managed instance");
		}

	}

	/**
	 * Announces its disposal, so that a collected instance that was never closed is
	 * reported as a leak.
	 */
	@ReportsDisposal
	static class Connection extends Unprintable implements AutoCloseable {

		@Override
		public void close() {
			DisposalEvents.disposed(this);
		}

	}

	static class AsyncChannel extends Unprintable implements AsyncDisposable {

		@Override
		public CompletionStage<Void> disposeAsync() {
			return CompletableFuture.completedFuture(null);
		}

	}

	static class Broken extends Unprintable implements AutoCloseable {

		@Override
		public void close() {
			throw new IllegalStateException("cannot close");
		}

	}

	static class Slow extends Unprintable implements AutoCloseable {

		@Override
		public void close() throws InterruptedException {
			Thread.sleep(10_000); // simulated work, interrupted at the per-resource
									// timeout
		}

	}

}
