package dev.disposables.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import jakarta.annotation.PreDestroy;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential tests of the beans the starter leaves to Spring (no destroy method the
 * starter takes over: {@code destroyMethod = ""}, an infrastructure role): Spring
 * destroys them before the beans they use, so their callbacks must still find those open
 * with the starter, as without it.
 */
class LeftToSpringOrderTests {

	static final List<String> calls = new CopyOnWriteArrayList<>();

	@Test
	void preDestroyOfABeanWithAnEmptyDestroyMethodRunsWhileItsDependencyIsOpen() {
		List<String> stock = run(false, PreDestroyUserConfig.class);
		assertThat(stock).containsExactly("user:pre-destroy (managed open)", "managed:close");
		assertThat(run(true, PreDestroyUserConfig.class)).isEqualTo(stock);
	}

	@Test
	void anInfrastructureBeanIsDestroyedWhileItsDependencyIsOpen() {
		List<String> stock = run(false, InfrastructureUserConfig.class);
		assertThat(stock).containsExactly("infrastructure:close (managed open)", "managed:close");
		assertThat(run(true, InfrastructureUserConfig.class)).isEqualTo(stock);
	}

	@Test
	void aDisposableBeanSpringDestroysItselfRunsWhileItsDependencyIsOpen() {
		List<String> stock = run(false, DisposableBeanUserConfig.class);
		assertThat(stock).containsExactly("user:destroy (managed open)", "managed:close");
		assertThat(run(true, DisposableBeanUserConfig.class)).isEqualTo(stock);
	}

	@Test
	void aChainThroughAManagedBeanKeepsSpringsOrder() {
		List<String> stock = run(false, ChainConfig.class);
		assertThat(stock).containsExactly("top:pre-destroy (middle open)", "middle:close (bottom open)",
				"bottom:pre-destroy");
		assertThat(run(true, ChainConfig.class)).isEqualTo(stock);
	}

	@Test
	void aBeanLeftToSpringBehindAPlainBeanStillRunsFirst() {
		List<String> stock = run(false, ThroughPlainBeanConfig.class);
		assertThat(stock).containsExactly("user:pre-destroy (managed open)", "managed:close");
		assertThat(run(true, ThroughPlainBeanConfig.class)).isEqualTo(stock);
	}

	@Test
	void disposingDirectlyWhileTheContextRunsLeavesSpringsOwnBeansAlone() {
		calls.clear();
		new ApplicationContextRunner().withUserConfiguration(PreDestroyUserConfig.class)
			.withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class))
			.run((context) -> {
				context.getBean(DisposablesLifecycle.class).disposeAll();
				// The starter's own resource is disposed; the bean Spring destroys itself
				// is
				// not destroyed early: the application still runs with it.
				assertThat(calls).containsExactly("managed:close");
			});
		assertThat(calls).as("destroyed once, by Spring's close")
			.containsExactly("managed:close", "user:pre-destroy (managed closed)");
	}

	private static List<String> run(boolean withStarter, Class<?> configuration) {
		calls.clear();
		ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(configuration);
		if (withStarter) {
			runner = runner.withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class));
		}
		runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.containsBean("disposableRegistry")).isEqualTo(withStarter);
		});
		return List.copyOf(calls);
	}

	private static String state(Managed managed) {
		return managed.isOpen() ? "open" : "closed";
	}

	@Configuration(proxyBeanMethods = false)
	static class PreDestroyUserConfig {

		@Bean
		Managed managed() {
			return new Managed("managed", null);
		}

		@Bean(destroyMethod = "")
		PreDestroyUser user(Managed managed) {
			return new PreDestroyUser("user", managed);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InfrastructureUserConfig {

		@Bean
		Managed managed() {
			return new Managed("managed", null);
		}

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		InfrastructureUser infrastructure(Managed managed) {
			return new InfrastructureUser(managed);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DisposableBeanUserConfig {

		@Bean
		Managed managed() {
			return new Managed("managed", null);
		}

		@Bean(destroyMethod = "")
		DisposableBeanUser user(Managed managed) {
			return new DisposableBeanUser(managed);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ChainConfig {

		@Bean(destroyMethod = "")
		PreDestroyUser bottom() {
			return new PreDestroyUser("bottom", null);
		}

		@Bean
		Managed middle(PreDestroyUser bottom) {
			return new Managed("middle", bottom);
		}

		@Bean(destroyMethod = "")
		PreDestroyUser top(Managed middle) {
			return new PreDestroyUser("top", middle);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ThroughPlainBeanConfig {

		@Bean
		Managed managed() {
			return new Managed("managed", null);
		}

		@Bean
		Plain plain(Managed managed) {
			return new Plain(managed);
		}

		@Bean(destroyMethod = "")
		PreDestroyUser user(Plain plain) {
			return new PreDestroyUser("user", plain.managed);
		}

	}

	/** Taken over by the starter: an {@link AutoCloseable} with nothing opted out. */
	static class Managed implements AutoCloseable {

		private final String name;

		private final PreDestroyUser uses;

		private volatile boolean open = true;

		Managed(String name, PreDestroyUser uses) {
			this.name = name;
			this.uses = uses;
		}

		boolean isOpen() {
			return this.open;
		}

		@Override
		public void close() {
			calls.add(this.name + ":close" + ((this.uses != null) ? " (" + this.uses.state() + ")" : ""));
			this.open = false;
		}

	}

	/** Left to Spring: its {@code @PreDestroy} runs, its bean opted out. */
	static class PreDestroyUser {

		private final String name;

		private final Managed uses;

		private volatile boolean open = true;

		PreDestroyUser(String name, Managed uses) {
			this.name = name;
			this.uses = uses;
		}

		String state() {
			return (this.open ? "bottom open" : "bottom closed");
		}

		@PreDestroy
		void preDestroy() {
			calls.add(this.name + ":pre-destroy" + ((this.uses != null) ? " (" + nameOf(this.uses) + ")" : ""));
			this.open = false;
		}

		private static String nameOf(Managed managed) {
			return managed.name + " " + LeftToSpringOrderTests.state(managed);
		}

	}

	/** An infrastructure bean: Spring infers its {@code close()}. */
	static class InfrastructureUser implements AutoCloseable {

		private final Managed managed;

		InfrastructureUser(Managed managed) {
			this.managed = managed;
		}

		@Override
		public void close() {
			calls.add("infrastructure:close (managed " + state(this.managed) + ")");
		}

	}

	/** Spring calls {@link #destroy()} even with {@code destroyMethod = ""}. */
	static class DisposableBeanUser implements DisposableBean {

		private final Managed managed;

		DisposableBeanUser(Managed managed) {
			this.managed = managed;
		}

		@Override
		public void destroy() {
			calls.add("user:destroy (managed " + state(this.managed) + ")");
		}

	}

	/** Not destroyed by anyone: Spring's dependent-bean graph goes through it. */
	static class Plain {

		private final Managed managed;

		Plain(Managed managed) {
			this.managed = managed;
		}

	}

}
