package dev.disposables.spring.conformance;

import java.util.Map;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesScopesAutoConfiguration;
import dev.disposables.spring.DisposalScope;
import dev.disposables.spring.DisposalScopes;
import dev.disposables.spring.conformance.ScenarioRunner.Flavor;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each application context manages its own beans only: parents and children, several
 * contexts in one JVM.
 */
class ContextIsolationConformanceTests {

	/**
	 * Bug (6): a child context ({@code SpringApplicationBuilder.child}) finds the
	 * parent's post-processor bean and creates none of its own, but a parent's
	 * post-processors never see a child's beans: the child is unmanaged.
	 */
	@Test
	void childContextBeansAreManaged() throws Exception {
		CallbackJournal journal = CallbackJournal.reset("parent and child contexts with the starter");
		ConfigurableApplicationContext child = new SpringApplicationBuilder(ParentConfig.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.child(ChildConfig.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.run();
		ConfigurableApplicationContext parent = (ConfigurableApplicationContext) child.getParent();
		try {
			child.close();
			assertThat(journal.countsOf("childUser#1")).as(journal.toString()).isEqualTo(Map.of("preDestroy", 1L));
			assertThat(journal.countsOf("childHelper#1"))
				.as("a prototype injected into a singleton of the child, disposed when the child closes; %s", journal)
				.isEqualTo(Map.of("close", 1L));
			assertThat(journal.countsOf("childAsync#1"))
				.as("an async-only singleton of the child, disposed async-first when the child closes; %s", journal)
				.isEqualTo(Map.of("disposeAsync", 1L));
		}
		finally {
			parent.close();
		}
		assertThat(journal.countsOf("parentAsync#1")).as(journal.toString()).isEqualTo(Map.of("disposeAsync", 1L));
		assertThat(journal.countsOf("childHelper#1")).as("never disposed twice; %s", journal).containsValue(1L);
	}

	/**
	 * Bug (7): a {@code DisposalScope} opened for one context adopts another context's
	 * prototypes (the current scope is a thread-local shared by every context), and
	 * disposes them when it ends.
	 */
	@Test
	void disposalScopeOfOneContextDoesNotAdoptAnotherContextsPrototypes() throws Exception {
		CallbackJournal journal = CallbackJournal.reset("two contexts with the starter");
		AnnotationConfigApplicationContext first = ScenarioRunner.context(Flavor.STARTER);
		first.refresh();
		AnnotationConfigApplicationContext second = ScenarioRunner.context(Flavor.STARTER);
		RootBeanDefinition prototype = new RootBeanDefinition(Beans.CloseableHelper.class);
		prototype.setScope("prototype");
		second.registerBeanDefinition("helper", prototype);
		second.refresh();
		Object helper;
		try (DisposalScope scope = first.getBean(DisposalScopes.class).open()) {
			helper = second.getBean("helper");
		}
		try {
			assertThat(journal.callbacksOf("helper#1"))
				.as("the first context's scope ended: the second context's prototype is not its to dispose")
				.isEmpty();
		}
		finally {
			second.close();
			first.close();
		}
		assertThat(helper).isNotNull();
		assertThat(journal.countsOf("helper#1")).as("disposed once, by its own context's shutdown; %s", journal)
			.isEqualTo(Map.of("close", 1L));
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class })
	static class ParentConfig {

		@Bean
		Beans.AsyncMethodHelper parentAsync() {
			return new Beans.AsyncMethodHelper();
		}

	}

	/** A child as Boot builds it: the same auto-configuration. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class })
	static class ChildConfig {

		@Bean
		@Scope("prototype")
		Beans.CloseableHelper childHelper() {
			return new Beans.CloseableHelper();
		}

		@Bean
		Beans.ConstructorUser childUser(Beans.CloseableHelper childHelper) {
			return new Beans.ConstructorUser(childHelper);
		}

		@Bean
		Beans.AsyncMethodHelper childAsync() {
			return new Beans.AsyncMethodHelper();
		}

	}

}
