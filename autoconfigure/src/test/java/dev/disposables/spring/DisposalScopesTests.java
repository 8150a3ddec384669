package dev.disposables.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.disposables.AsyncDisposable;
import dev.disposables.ObjectDisposedException;
import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesScopesAutoConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class DisposalScopesTests {

	static final List<String> events = new CopyOnWriteArrayList<>();

	static final AtomicInteger ids = new AtomicInteger();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class))
		.withUserConfiguration(Config.class);

	@BeforeEach
	void reset() {
		events.clear();
	}

	@Test
	void scopeDisposesWhatItCreatedInReverseOrderAsyncFirst() {
		this.runner.run((context) -> {
			DisposalScopes scopes = context.getBean(DisposalScopes.class);
			Sync first;
			Async second;
			try (DisposalScope scope = scopes.open()) {
				first = scope.getBean(Sync.class);
				second = scope.getBean(Async.class);
				assertThat(events).isEmpty();
			}
			assertThat(events).containsExactly("async-" + second.id, "sync-" + first.id);
			assertThat(context.getBean(DisposableRegistry.class).findByInstance(first)).isEmpty();
		});
	}

	@Test
	void prototypesResolvedWhileAScopeIsCurrentAreOwnedByIt() {
		this.runner.run((context) -> {
			DisposalScopes scopes = context.getBean(DisposalScopes.class);
			Sync sync;
			try (DisposalScope scope = scopes.open()) {
				sync = context.getBean(Sync.class); // not through the scope: it is
													// current
			}
			assertThat(events).containsExactly("sync-" + sync.id);
		});
	}

	@Test
	void scopesNestAndTheOuterIsCurrentAgainAfterTheInnerIsDisposed() {
		this.runner.run((context) -> {
			DisposalScopes scopes = context.getBean(DisposalScopes.class);
			assertThat(scopes.current()).isEmpty();
			try (DisposalScope outer = scopes.open()) {
				Sync outerBean = context.getBean(Sync.class);
				try (DisposalScope inner = scopes.open()) {
					assertThat(scopes.current()).contains(inner);
					Sync innerBean = context.getBean(Sync.class);
					inner.close();
					assertThat(events).containsExactly("sync-" + innerBean.id);
					assertThat(scopes.current()).contains(outer);
				}
				assertThat(events).hasSize(1);
				events.clear();
				outer.close();
				assertThat(events).containsExactly("sync-" + outerBean.id);
			}
			assertThat(scopes.current()).isEmpty();
		});
	}

	@Test
	void getBeanAfterDisposalThrowsObjectDisposedException() {
		this.runner.run((context) -> {
			DisposalScope scope = context.getBean(DisposalScopes.class).open();
			scope.disposeAsync().toCompletableFuture().join();
			assertThat(scope.isDisposed()).isTrue();
			assertThatExceptionOfType(ObjectDisposedException.class).isThrownBy(() -> scope.getBean(Sync.class));
			assertThatExceptionOfType(ObjectDisposedException.class)
				.isThrownBy(() -> scope.getBean("sync", Sync.class));
		});
	}

	@Test
	void callDisposesTheScopeAndKeepsTheWorkFailurePrimary() {
		this.runner.run((context) -> {
			DisposalScopes scopes = context.getBean(DisposalScopes.class);
			Integer id = scopes.call(() -> context.getBean(Sync.class).id);
			assertThat(events).containsExactly("sync-" + id);
			events.clear();
			assertThatThrownBy(() -> scopes.call(() -> {
				context.getBean(Failing.class);
				throw new IllegalArgumentException("work failed");
			})).isInstanceOf(IllegalArgumentException.class)
				.hasMessage("work failed")
				.satisfies((ex) -> assertThat(ex.getSuppressed()).singleElement()
					.satisfies((suppressed) -> assertThat(suppressed).hasMessage("disposal failed")));
			assertThat(scopes.current()).isEmpty();
			assertThat(scopes.openCount()).isZero();
		});
	}

	@Test
	void callAsyncDisposesTheScopeWhenTheStageCompletes() {
		this.runner.run((context) -> {
			DisposalScopes scopes = context.getBean(DisposalScopes.class);
			CompletableFuture<String> work = new CompletableFuture<>();
			CompletionStage<String> result = scopes.callAsync((scope) -> {
				scope.getBean(Async.class);
				return work;
			});
			assertThat(scopes.current()).as("not current on the caller after the function returned").isEmpty();
			assertThat(events).isEmpty();
			work.complete("done");
			assertThat(result.toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo("done");
			assertThat(events).hasSize(1).allMatch((event) -> event.startsWith("async-"));
		});
	}

	@Test
	void disposalScopedBeanIsOneInstancePerScopeAndWorksThroughTheProxyInASingleton() {
		this.runner.run((context) -> {
			DisposalScopes scopes = context.getBean(DisposalScopes.class);
			UsesUnitOfWork user = context.getBean(UsesUnitOfWork.class);
			int first = scopes.call(() -> {
				assertThat(user.unitOfWorkId()).isEqualTo(user.unitOfWorkId());
				return user.unitOfWorkId();
			});
			assertThat(events).containsExactly("unit-" + first);
			int second = scopes.call(user::unitOfWorkId);
			assertThat(second).isNotEqualTo(first);
			assertThat(events).containsExactly("unit-" + first, "unit-" + second);
		});
	}

	@Test
	void disposalScopedBeanWithNoScopeOpenFailsNamingTheBean() {
		this.runner.run((context) -> {
			UsesUnitOfWork user = context.getBean(UsesUnitOfWork.class);
			assertThatThrownBy(user::unitOfWorkId).rootCause()
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("'unitOfWork'")
				.hasMessageContaining("DisposalScopes.open()");
		});
	}

	@Test
	void workGoingOnAfterItsScopeWasDisposedNeverDisposesTwice() throws Exception {
		this.runner.run((context) -> {
			DisposalScopes scopes = context.getBean(DisposalScopes.class);
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			DisposalScope scope = scopes.open();
			Sync before = context.getBean(Sync.class);
			CountDownLatch disposed = new CountDownLatch(1);
			CompletableFuture<Sync> late = CompletableFuture.supplyAsync(() -> {
				// the work carries its scope to another thread, which goes on after the
				// scope was disposed
				DisposalScopeThreadLocalAccessor accessor = new DisposalScopeThreadLocalAccessor();
				accessor.setValue(scope);
				try {
					disposed.await(10, TimeUnit.SECONDS);
					return context.getBean(Sync.class);
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
				finally {
					accessor.setValue();
				}
			});
			scope.close();
			disposed.countDown();
			Sync after = late.get(10, TimeUnit.SECONDS);
			assertThat(events).containsExactly("sync-" + before.id);
			assertThat(scopes.current()).isEmpty();
			// the late instance is no longer in the disposed scope: it follows the
			// application's tracking instead
			assertThat(registry.findByInstance(after))
				.hasValueSatisfying((resource) -> assertThat(resource.state()).isEqualTo(ResourceState.LIVE));
			registry.dispose(after).toCompletableFuture().get(10, TimeUnit.SECONDS);
			assertThat(events).containsExactly("sync-" + before.id, "sync-" + after.id);
		});
		assertThat(events).as("nothing disposed again at shutdown")
			.filteredOn((event) -> event.startsWith("sync-"))
			.hasSize(2);
	}

	@Test
	void registrationIntoAScopeBeingDisposedIsDisposedAtOnce() {
		this.runner.run((context) -> {
			DefaultDisposalScope scope = (DefaultDisposalScope) context.getBean(DisposalScopes.class).open();
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			scope.close();
			Sync late = new Sync();
			ManagedResource resource = registry.register(late, "sync", ConfigurableBeanFactory.SCOPE_PROTOTYPE,
					new DisposalPlanner().plan(Sync.class, null), true, null);
			assertThat(scope.adopt(resource)).isFalse();
		});
	}

	@Test
	void openScopesAreDisposedAtShutdownBeforeTheSingletonsTheyUse() {
		ConfigurableApplicationContext[] holder = new ConfigurableApplicationContext[1];
		this.runner.run((context) -> {
			holder[0] = context;
			DisposalScope scope = context.getBean(DisposalScopes.class).open();
			UsesSingleton user = scope.getBean(UsesSingleton.class);
			assertThat(user).isNotNull();
		});
		assertThat(events).containsSubsequence("usesSingleton", "singleton");
	}

	@Test
	void concurrentScopeDisposalAndShutdownDisposeEverythingExactlyOnce() {
		for (int round = 0; round < 20; round++) {
			events.clear();
			List<Integer> created = new ArrayList<>();
			CompletableFuture<?>[] disposals = new CompletableFuture<?>[8];
			this.runner.run((context) -> {
				DisposalScopes scopes = context.getBean(DisposalScopes.class);
				for (int i = 0; i < disposals.length; i++) {
					DisposalScope scope = scopes.open();
					for (int j = 0; j < 5; j++) {
						created.add(scope.getBean(Async.class).id);
						created.add(scope.getBean(Sync.class).id);
					}
					DisposalScope toDispose = scope;
					// disposed concurrently with the context close that follows
					disposals[i] = CompletableFuture.runAsync(() -> toDispose.disposeAsync());
				}
			});
			CompletableFuture.allOf(disposals).join();
			await().atMost(10, TimeUnit.SECONDS)
				.until(() -> events.stream().filter((event) -> event.contains("sync-")).count() >= created.size());
			Map<Integer, Integer> counts = new ConcurrentHashMap<>();
			events.stream()
				.filter((event) -> event.contains("sync-"))
				.forEach((event) -> counts.merge(Integer.valueOf(event.substring(event.indexOf('-') + 1)), 1,
						Integer::sum));
			assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(created);
			assertThat(counts).allSatisfy((id, count) -> assertThat(count).as("disposals of " + id).isOne());
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Config {

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		Sync sync() {
			return new Sync();
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		Async async() {
			return new Async();
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		Failing failing() {
			return new Failing();
		}

		@Bean
		@DisposalScoped
		UnitOfWork unitOfWork() {
			return new UnitOfWork();
		}

		@Bean
		UsesUnitOfWork usesUnitOfWork(UnitOfWork unitOfWork) {
			return new UsesUnitOfWork(unitOfWork);
		}

		@Bean
		RecordingResource singleton() {
			return new RecordingResource("singleton", events);
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		UsesSingleton usesSingleton(RecordingResource singleton) {
			return new UsesSingleton(singleton);
		}

	}

	static class Sync implements AutoCloseable {

		final int id = ids.incrementAndGet();

		@Override
		public void close() {
			events.add("sync-" + this.id);
		}

	}

	static class Async implements AsyncDisposable {

		final int id = ids.incrementAndGet();

		@Override
		public CompletionStage<Void> disposeAsync() {
			return CompletableFuture.runAsync(() -> events.add("async-" + this.id),
					CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
		}

	}

	static class Failing implements AutoCloseable {

		@Override
		public void close() {
			throw new IllegalStateException("disposal failed");
		}

	}

	static class UnitOfWork implements AutoCloseable {

		final int id = ids.incrementAndGet();

		int id() {
			return this.id;
		}

		@Override
		public void close() {
			events.add("unit-" + this.id);
		}

	}

	static class UsesUnitOfWork {

		private final UnitOfWork unitOfWork;

		UsesUnitOfWork(UnitOfWork unitOfWork) {
			this.unitOfWork = unitOfWork;
		}

		int unitOfWorkId() {
			return this.unitOfWork.id();
		}

	}

	static class UsesSingleton implements AutoCloseable {

		private final RecordingResource singleton;

		UsesSingleton(RecordingResource singleton) {
			this.singleton = singleton;
		}

		@Override
		public void close() {
			events.add("usesSingleton");
		}

	}

}
