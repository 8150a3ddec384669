package dev.disposables.spring;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesScopesAutoConfiguration;
import jakarta.annotation.PostConstruct;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PrototypeOwnershipTests {

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
	void prototypesInjectedIntoASingletonAreDisposedRightAfterIt() {
		this.runner.run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			Owner owner = context.getBean(Owner.class);
			for (Child child : owner.children()) {
				ManagedResource resource = registry.lookup(child);
				assertThat(resource).isNotNull();
				assertThat(resource.owner()).isSameAs(registry.lookup(owner));
				// the same through the public view
				DisposableResource view = registry.findByInstance(child).orElseThrow();
				assertThat(view.owner()).isNotNull();
				assertThat(view.owner().beanName()).isEqualTo("owner");
				assertThat(view.owner().scope()).isEqualTo("singleton");
			}
			assertThat(registry.findByInstance(owner).orElseThrow().owner()).isNull();
		});
		// constructor, field and ObjectProvider-in-@PostConstruct children, each after
		// the owner (the children are
		// independent of each other, so they are disposed concurrently, in no particular
		// order)
		for (String child : List.of("child-provider", "child-field", "child-ctor")) {
			assertThat(events).containsSubsequence("owner", child);
		}
	}

	@Test
	void prototypesInjectedIntoANonDisposableSingletonAreDisposedAfterItsDependents() {
		this.runner.run((context) -> {
			assertThat(context.getBean(PlainOwner.class).child).isNotNull();
			assertThat(context.getBean(DisposableRegistry.class).resources())
				.as("the anchor of the plain owner is never listed")
				.noneMatch((resource) -> resource.beanName().equals("plainOwner"));
		});
		assertThat(events).containsSubsequence("usesPlainOwner", "child-plain");
	}

	@Test
	void prototypeInjectedIntoAScopedPrototypeIsDisposedRightAfterItsOwnerWhenTheScopeEnds() {
		this.runner.run((context) -> {
			DisposalScopes scopes = context.getBean(DisposalScopes.class);
			try (DisposalScope scope = scopes.open()) {
				scope.getBean(RecordingResource.class);
			}
			assertThat(events).containsExactly("prototypeOwner", "child-nested");
		});
	}

	@Test
	void applicationOwnedPrototypesAreDisposedAtShutdownIfStillAlive() {
		this.runner.run((context) -> {
			Child kept = context.getBean(Child.class);
			kept.role = "kept";
			assertThat(context.getBean(DisposableRegistry.class).findByInstance(kept)).isPresent();
		});
		assertThat(events).contains("child-kept");
	}

	@Test
	void aPrototypeDisposedThroughTheRegistryIsNotDisposedAgain() {
		this.runner.run((context) -> {
			Child child = context.getBean(Child.class);
			child.role = "explicit";
			context.getBean(DisposableRegistry.class).dispose(child).toCompletableFuture().get(10, TimeUnit.SECONDS);
			assertThat(events).containsExactly("child-explicit");
		});
		assertThat(events).containsOnlyOnce("child-explicit");
	}

	@Test
	void weakTrackingRetainsNothing() {
		int count = 200_000;
		this.runner.run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			ReferenceQueue<Object> queue = new ReferenceQueue<>();
			Set<WeakReference<Object>> probes = new HashSet<>();
			for (int i = 0; i < count; i++) {
				Object dropped = context.getBean("quiet");
				if (i % 100 == 0) {
					probes.add(new WeakReference<>(dropped, queue));
				}
			}
			int[] collected = new int[1];
			await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).until(() -> {
				System.gc();
				while (queue.poll() != null) {
					collected[0]++;
				}
				return collected[0] == probes.size() && registry.count("prototype", ResourceState.COLLECTED) >= count;
			});
			long leaked = registry.count("prototype", ResourceState.LEAKED);
			long live = registry.count("prototype", ResourceState.LIVE);
			System.out.printf(
					"[retention] %d prototypes created and dropped under weak tracking: %d/%d probes "
							+ "collected, %d reported LEAKED, %d still LIVE in the registry%n",
					count, collected[0], probes.size(), leaked, live);
			assertThat(live).isLessThan(count / 100);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Config {

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		Child child() {
			return new Child();
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		Quiet quiet() {
			return new Quiet();
		}

		@Bean
		Owner owner(Child child) {
			child.role = "ctor";
			return new Owner(child);
		}

		@Bean
		PlainOwner plainOwner(Child child) {
			child.role = "plain";
			return new PlainOwner(child);
		}

		@Bean
		UsesPlainOwner usesPlainOwner(PlainOwner plainOwner) {
			return new UsesPlainOwner();
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		RecordingResource prototypeOwner(Child child) {
			child.role = "nested";
			return new RecordingResource("prototypeOwner", events);
		}

	}

	static class Child implements AutoCloseable {

		String role = "unset";

		@Override
		public void close() {
			events.add("child-" + this.role);
		}

	}

	static class Quiet implements AutoCloseable {

		private final byte[] payload = new byte[64];

		@Override
		public void close() {
		}

	}

	static class Owner implements AutoCloseable {

		private final Child ctor;

		@Autowired
		private Child field;

		@Autowired
		private ObjectProvider<Child> provider;

		private Child provided;

		Owner(Child ctor) {
			this.ctor = ctor;
		}

		@PostConstruct
		void init() {
			this.field.role = "field";
			this.provided = this.provider.getObject();
			this.provided.role = "provider";
		}

		List<Child> children() {
			return List.of(this.ctor, this.field, this.provided);
		}

		@Override
		public void close() {
			events.add("owner");
		}

	}

	static class PlainOwner {

		final Child child;

		PlainOwner(Child child) {
			this.child = child;
		}

	}

	static class UsesPlainOwner implements AutoCloseable {

		@Override
		public void close() {
			events.add("usesPlainOwner");
		}

	}

}
