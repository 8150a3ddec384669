package dev.disposables.spring;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesScopesAutoConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

class ContextPropagationTests {

	static final List<String> events = new CopyOnWriteArrayList<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class,
				DisposablesScopesAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
		.withUserConfiguration(Config.class);

	@BeforeEach
	void reset() {
		events.clear();
	}

	@Test
	void scopeFollowsCompletableFutureContinuationsOnADecoratedExecutor() {
		this.runner.run((context) -> {
			DisposalScopes scopes = context.getBean(DisposalScopes.class);
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setTaskDecorator(new ContextPropagatingTaskDecorator());
			executor.setThreadNamePrefix("hop-");
			executor.initialize();
			try {
				String thread = scopes.call(() -> {
					DisposalScope scope = scopes.current().orElseThrow();
					return CompletableFuture.supplyAsync(() -> {
						assertThat(scopes.current()).contains(scope);
						context.getBean(Resource.class).name = "hop";
						return Thread.currentThread().getName();
					}, executor).thenApplyAsync((name) -> {
						assertThat(scopes.current()).contains(scope);
						return name;
					}, executor).get(10, TimeUnit.SECONDS);
				});
				assertThat(thread).startsWith("hop-");
				assertThat(events).containsExactly("resource-hop");
				// and nothing leaks into the pool threads afterwards
				assertThat(CompletableFuture.supplyAsync(scopes::current, executor).get(10, TimeUnit.SECONDS))
					.isEmpty();
			}
			finally {
				executor.shutdown();
			}
		});
	}

	@Test
	void scopeFollowsAsyncMethodsOnBootsExecutor() {
		this.runner.run((context) -> {
			DisposalScopes scopes = context.getBean(DisposalScopes.class);
			AsyncWorker worker = context.getBean(AsyncWorker.class);
			scopes.callAsync((scope) -> worker.work().thenApply((seen) -> {
				assertThat(seen).contains(scope);
				return seen;
			})).toCompletableFuture().get(10, TimeUnit.SECONDS);
			assertThat(events).containsExactly("resource-async");
		});
	}

	@Test
	void scopeFollowsReactorWithAutomaticContextPropagation() {
		Hooks.enableAutomaticContextPropagation();
		try {
			this.runner.run((context) -> {
				DisposalScopes scopes = context.getBean(DisposalScopes.class);
				scopes.call(() -> {
					DisposalScope scope = scopes.current().orElseThrow();
					Optional<DisposalScope> seen = Mono.fromCallable(scopes::current)
						.subscribeOn(Schedulers.boundedElastic())
						.contextCapture()
						.block();
					assertThat(seen).contains(scope);
					return null;
				});
			});
		}
		finally {
			Hooks.disableAutomaticContextPropagation();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	static class Config {

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		Resource resource() {
			return new Resource();
		}

		@Bean
		AsyncWorker asyncWorker(org.springframework.context.ApplicationContext context) {
			return new AsyncWorker(context);
		}

	}

	static class Resource implements AutoCloseable {

		String name = "unset";

		@Override
		public void close() {
			events.add("resource-" + this.name);
		}

	}

	static class AsyncWorker {

		private final org.springframework.context.ApplicationContext context;

		AsyncWorker(org.springframework.context.ApplicationContext context) {
			this.context = context;
		}

		@Async
		public CompletableFuture<Optional<DisposalScope>> work() {
			this.context.getBean(Resource.class).name = "async";
			return CompletableFuture.completedFuture(this.context.getBean(DisposalScopes.class).current());
		}

	}

}
