package dev.disposables.spring;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesScopesAutoConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link ReactiveDisposalScopes}: a {@code Mono} or {@code Flux} in a fresh scope,
 * disposed when it completes, fails or is cancelled, with sync disposals off the
 * terminating thread.
 */
class ReactiveDisposalScopesTests {

	static final List<String> events = new CopyOnWriteArrayList<>();

	static final List<String> threads = new CopyOnWriteArrayList<>();

	static final AtomicInteger ids = new AtomicInteger();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class))
		.withUserConfiguration(Config.class);

	@BeforeEach
	void reset() {
		events.clear();
		threads.clear();
	}

	@Test
	void monoCompletesOnlyOnceItsScopeHasBeenDisposed() {
		this.runner.run((context) -> {
			ReactiveDisposalScopes reactive = context.getBean(ReactiveDisposalScopes.class);
			String value = reactive.mono((scope) -> Mono.fromCallable(() -> scope.getBean(Resource.class).name()))
				.doOnNext((name) -> events.add("delivered " + name))
				.block(Duration.ofSeconds(10));
			assertThat(events).containsExactly("closed " + value, "delivered " + value);
		});
	}

	@Test
	void syncDisposalsNeverRunOnTheThreadThatTerminatedTheWork() {
		this.runner.run((context) -> {
			ReactiveDisposalScopes reactive = context.getBean(ReactiveDisposalScopes.class);
			// Mono.delay completes on a parallel (non-blocking) thread
			reactive.mono((scope) -> {
				scope.getBean(Resource.class);
				return Mono.delay(Duration.ofMillis(10));
			}).block(Duration.ofSeconds(10));
			assertThat(threads).singleElement().asString().startsWith("disposables-dispose-");
		});
	}

	@Test
	void cancelledFluxDisposesItsScope() {
		this.runner.run((context) -> {
			ReactiveDisposalScopes reactive = context.getBean(ReactiveDisposalScopes.class);
			List<Long> ticks = reactive.flux((scope) -> {
				scope.getBean(Resource.class);
				return Flux.interval(Duration.ofMillis(10));
			}).take(3).collectList().block(Duration.ofSeconds(10));
			assertThat(ticks).hasSize(3);
			await().atMost(10, TimeUnit.SECONDS).until(() -> events.size() == 1);
			assertThat(context.getBean(DisposalScopes.class).openCount()).isZero();
		});
	}

	@Test
	void fluxKeepsItsScopeUntilItsLastElement() {
		this.runner.run((context) -> {
			ReactiveDisposalScopes reactive = context.getBean(ReactiveDisposalScopes.class);
			reactive.flux((scope) -> {
				Resource resource = scope.getBean(Resource.class);
				return Flux.interval(Duration.ofMillis(10)).take(5).map((tick) -> resource.name() + "-" + tick);
			}).doOnNext((element) -> events.add("element")).blockLast(Duration.ofSeconds(10));
			assertThat(events).hasSize(6);
			assertThat(events.get(5)).startsWith("closed ");
		});
	}

	@Test
	void failedWorkDisposesItsScopeAndKeepsItsFailure() {
		this.runner.run((context) -> {
			ReactiveDisposalScopes reactive = context.getBean(ReactiveDisposalScopes.class);
			Mono<String> failing = reactive.mono((scope) -> {
				scope.getBean(FailingResource.class);
				return Mono.error(new IllegalStateException("work failed"));
			});
			assertThatExceptionOfType(IllegalStateException.class)
				.isThrownBy(() -> failing.block(Duration.ofSeconds(10)))
				.withMessage("work failed")
				// (block() adds a suppressed exception of its own, with the blocking call
				// site)
				.satisfies((ex) -> assertThat(ex.getSuppressed())
					.filteredOn((suppressed) -> suppressed instanceof IllegalStateException)
					.singleElement()
					.satisfies((suppressed) -> assertThat(suppressed).hasMessage("disposal failed")));
		});
	}

	@Test
	void disposalFailureFailsCompletedWork() {
		this.runner.run((context) -> {
			ReactiveDisposalScopes reactive = context.getBean(ReactiveDisposalScopes.class);
			Mono<String> work = reactive.mono((scope) -> {
				scope.getBean(FailingResource.class);
				return Mono.just("done");
			});
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> work.block(Duration.ofSeconds(10)))
				.withMessage("disposal failed");
		});
	}

	@Test
	void eachSubscriptionHasItsOwnScope() {
		this.runner.run((context) -> {
			ReactiveDisposalScopes reactive = context.getBean(ReactiveDisposalScopes.class);
			Mono<DisposalScope> work = reactive.mono((scope) -> {
				scope.getBean(Resource.class);
				return Mono.just(scope);
			});
			DisposalScope first = work.block(Duration.ofSeconds(10));
			DisposalScope second = work.block(Duration.ofSeconds(10));
			assertThat(first).isNotSameAs(second);
			assertThat(first.isDisposed()).isTrue();
			assertThat(events).hasSize(2);
		});
	}

	@Test
	void scopeIsInTheReactorContextAndNests() {
		this.runner.run((context) -> {
			ReactiveDisposalScopes reactive = context.getBean(ReactiveDisposalScopes.class);
			List<String> seen = reactive.mono((outer) -> {
				outer.getBean(Resource.class);
				return ReactiveDisposalScopes.current()
					.map((current) -> (current == outer) ? "outer" : "other")
					.zipWith(reactive.mono((inner) -> {
						inner.getBean(Resource.class);
						return ReactiveDisposalScopes.current()
							.map((current) -> (current == inner) ? "inner" : "other");
					}))
					.map((both) -> List.of(both.getT1(), both.getT2(), String.valueOf(events.size())));
			}).block(Duration.ofSeconds(10));
			// the inner scope was disposed when the inner work completed, the outer one
			// after everything
			assertThat(seen).containsExactly("outer", "inner", "1");
			assertThat(events).hasSize(2);
			assertThat(ReactiveDisposalScopes.current().blockOptional()).isEmpty();
		});
	}

	@Test
	void threadLocalReadersSeeTheScopeAcrossThreadsWithAutomaticContextPropagation() {
		Hooks.enableAutomaticContextPropagation();
		try {
			this.runner.run((context) -> {
				ReactiveDisposalScopes reactive = context.getBean(ReactiveDisposalScopes.class);
				DisposalScopes scopes = context.getBean(DisposalScopes.class);
				List<Object> seen = reactive.mono((scope) -> Mono.delay(Duration.ofMillis(10))
					.publishOn(Schedulers.boundedElastic())
					.map((tick) -> {
						// a prototype resolved through the context, not the scope: owned
						// by the current scope
						context.getBean(Resource.class);
						Optional<DisposalScope> current = scopes.current();
						return List.<Object>of(current.orElse(null) == scope, Thread.currentThread().getName());
					})).block(Duration.ofSeconds(10));
				assertThat(seen.get(0)).isEqualTo(true);
				assertThat((String) seen.get(1)).startsWith("boundedElastic-");
				assertThat(events).hasSize(1);
			});
		}
		finally {
			Hooks.disableAutomaticContextPropagation();
		}
	}

	@Test
	void workStillRunningAtShutdownIsDisposedBeforeTheSingletonsItUses() {
		this.runner.run((context) -> {
			ReactiveDisposalScopes reactive = context.getBean(ReactiveDisposalScopes.class);
			reactive.flux((scope) -> {
				scope.getBean(Resource.class);
				return Flux.never();
			}).subscribe();
			await().atMost(10, TimeUnit.SECONDS).until(() -> context.getBean(DisposalScopes.class).openCount() == 1);
			context.close();
			assertThat(events).hasSize(2);
			assertThat(events.get(0)).startsWith("closed ");
			assertThat(events.get(1)).isEqualTo("singleton closed");
		});
	}

	@Test
	void scopesStillOpenAtShutdownAreDisposedConcurrently() {
		this.runner.run((context) -> {
			ReactiveDisposalScopes reactive = context.getBean(ReactiveDisposalScopes.class);
			CountDownLatch allClosing = new CountDownLatch(3);
			List<Boolean> metTheOthers = new CopyOnWriteArrayList<>();
			for (int i = 0; i < 3; i++) {
				reactive.flux((scope) -> {
					scope.getBean(Resource.class).onClose(() -> {
						// each close() waits for the other two: only concurrent disposals
						// get past this at once
						allClosing.countDown();
						metTheOthers.add(awaitOthers(allClosing));
					});
					return Flux.never();
				}).subscribe();
			}
			await().atMost(10, TimeUnit.SECONDS).until(() -> context.getBean(DisposalScopes.class).openCount() == 3);
			context.close();
			assertThat(metTheOthers).containsExactly(true, true, true);
			assertThat(threads).allSatisfy((thread) -> assertThat(thread).startsWith("disposables-dispose-"));
		});
	}

	private static boolean awaitOthers(CountDownLatch latch) {
		try {
			return latch.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Config {

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		Resource resource(RecordingResource singleton) {
			// Uses the singleton: its disposal must end before the singleton's begins.
			return new Resource();
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		FailingResource failingResource() {
			return new FailingResource();
		}

		@Bean
		RecordingResource singleton() {
			return new RecordingResource("singleton closed", events);
		}

	}

	static class Resource implements AutoCloseable {

		private final String name = "resource-" + ids.incrementAndGet();

		private volatile Runnable onClose = () -> {
		};

		String name() {
			return this.name;
		}

		void onClose(Runnable action) {
			this.onClose = action;
		}

		@Override
		public void close() {
			this.onClose.run();
			threads.add(Thread.currentThread().getName());
			events.add("closed " + this.name);
		}

	}

	static class FailingResource implements AutoCloseable {

		@Override
		public void close() {
			throw new IllegalStateException("disposal failed");
		}

	}

}
