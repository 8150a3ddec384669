package dev.disposables.spring;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.disposables.DisposableBase;
import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesScopesAutoConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.context.annotation.ScopedProxyMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 22 item 9: a prototype behind a scoped proxy gets a new target for every call,
 * which Spring drops after the call. Nobody can hold, and so nobody can dispose, such a
 * target: the starter does not track it as the application's (Spring's behaviour), and
 * never reports it as a leak. Inside a {@link DisposalScope} the scope owns it, as any
 * prototype created there.
 */
@ExtendWith(OutputCaptureExtension.class)
class PrototypeScopedProxyTests {

	private static final int CALLS = 200;

	/** Every target created, weakly. */
	static final List<WeakReference<Counter>> targets = new CopyOnWriteArrayList<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class))
		.withUserConfiguration(ProxiedPrototype.class);

	@BeforeEach
	void reset() {
		targets.clear();
	}

	@Test
	void callsThroughAPrototypeScopedProxyAreNeverReportedAsLeaks(CapturedOutput output) {
		this.runner.run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			Counter proxy = context.getBean(Counter.class);
			for (int i = 0; i < CALLS; i++) {
				assertThat(proxy.call()).isEqualTo(1);
			}
			assertThat(targets).hasSize(CALLS);
			assertThat(registry.count("prototype", ResourceState.LIVE)).isZero();
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				System.gc();
				return targets.stream().allMatch((target) -> target.get() == null);
			});
			assertThat(registry.count("prototype", ResourceState.LEAKED)).isZero();
			assertThat(registry.recentLeaks()).isEmpty();
		});
		assertThat(output).doesNotContain("Leak: an instance of bean 'counter'");
	}

	@Test
	void insideADisposalScopeTheScopeDisposesEachTarget() {
		this.runner.run((context) -> {
			Counter proxy = context.getBean(Counter.class);
			List<Counter> created;
			try (DisposalScope scope = context.getBean(DisposalScopes.class).open()) {
				proxy.call();
				proxy.call();
				created = targets.stream().map(WeakReference::get).toList();
				assertThat(created).hasSize(2).noneMatch(Counter::isDisposed);
			}
			assertThat(created).allMatch(Counter::isDisposed);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ProxiedPrototype {

		@Bean
		@Scope(value = ConfigurableBeanFactory.SCOPE_PROTOTYPE, proxyMode = ScopedProxyMode.TARGET_CLASS)
		Counter counter() {
			return new Counter();
		}

	}

	/**
	 * Announces its disposal (a {@code DisposableBase}): a leak of it would be reported.
	 */
	static class Counter extends DisposableBase {

		private int calls;

		Counter() {
			targets.add(new WeakReference<>(this));
		}

		public int call() {
			return ++this.calls;
		}

	}

}
