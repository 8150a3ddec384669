package dev.disposables.spring.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposableResource;
import dev.disposables.spring.conformance.ConformanceRules.Verdict;
import dev.disposables.spring.conformance.Scenario.Dependency;
import dev.disposables.spring.conformance.Scenario.Detection;
import dev.disposables.spring.conformance.Scenario.HelperScope;
import dev.disposables.spring.conformance.Scenario.Mechanism;
import dev.disposables.spring.conformance.Scenario.Proxying;
import dev.disposables.spring.conformance.Scenario.Trigger;
import dev.disposables.spring.conformance.ScenarioRunner.Flavor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Beans proxied by real Spring AOP ({@code @Transactional} over H2, {@code @Async}, an
 * auto-proxy creator), JDK and CGLIB: every callback runs once, on the bean itself, never
 * on the proxy. Bug (1).
 */
class ProxyConformanceTests {

	static Stream<Arguments> proxiedSingletons() {
		List<Arguments> arguments = new ArrayList<>();
		for (Mechanism mechanism : Mechanism.values()) {
			for (Proxying proxying : List.of(Proxying.JDK, Proxying.CGLIB)) {
				for (Detection detection : List.of(Detection.AUTO_CLOSEABLE, Detection.PRE_DESTROY_PRIVATE,
						Detection.ASYNC_DISPOSABLE)) {
					arguments.add(Arguments.of(detection, proxying, mechanism));
				}
			}
		}
		return arguments.stream();
	}

	@ParameterizedTest(name = "{0} {1} proxy by {2}")
	@MethodSource("proxiedSingletons")
	void proxiedSingletonClosed(Detection detection, Proxying proxying, Mechanism mechanism) {
		ConformanceRules.assertConforms(
				Scenario.of(detection, proxying, HelperScope.SINGLETON, Dependency.CONSTRUCTOR, Trigger.CLOSE)
					.withMechanism(mechanism));
	}

	/**
	 * Bug (1): a private {@code @PreDestroy} method invoked on the CGLIB proxy (no state:
	 * NPE), target untouched.
	 */
	@Test
	void privatePreDestroyOfACglibProxiedBeanRunsOnTheTarget() {
		Verdict verdict = ConformanceRules.judge(Scenario.of(Detection.PRE_DESTROY_PRIVATE, Proxying.CGLIB,
				HelperScope.SINGLETON, Dependency.CONSTRUCTOR, Trigger.CLOSE));
		assertThat(verdict.starter().journal().onProxies()).as(verdict.describe()).isEmpty();
		assertThat(verdict.starter().journal().countsOf("helper#1")).as(verdict.describe())
			.containsExactlyEntriesOf(java.util.Map.of("preDestroy", 1L));
		verdict.assertNoViolations();
	}

	/**
	 * Bug (1): a public {@code @PreDestroy} method of a JDK-proxied bean is never called.
	 */
	@Test
	void publicPreDestroyOfAJdkProxiedBeanIsCalled() {
		Verdict verdict = ConformanceRules.judge(Scenario.of(Detection.PRE_DESTROY_PUBLIC, Proxying.JDK,
				HelperScope.SINGLETON, Dependency.CONSTRUCTOR, Trigger.CLOSE));
		assertThat(verdict.starter().journal().countsOf("helper#1")).as(verdict.describe())
			.containsExactlyEntriesOf(java.util.Map.of("preDestroy", 1L));
		verdict.assertNoViolations();
	}

	/** Bug (1): a failed refresh does not dispose a proxied bean. */
	@Test
	void failedRefreshDisposesAJdkProxiedBean() {
		ConformanceRules.assertConforms(Scenario.of(Detection.DESTROY_METHOD, Proxying.JDK, HelperScope.SINGLETON,
				Dependency.FIELD, Trigger.FAILED_REFRESH));
	}

	/** Bug (1): a failed refresh, CGLIB proxy. */
	@Test
	void failedRefreshDisposesACglibProxiedBean() {
		ConformanceRules.assertConforms(Scenario.of(Detection.PRE_DESTROY_PRIVATE, Proxying.CGLIB,
				HelperScope.SINGLETON, Dependency.FIELD, Trigger.FAILED_REFRESH));
	}

	/** Bug (1): {@code destroySingleton} does not dispose a proxied bean then. */
	@Test
	void destroySingletonDisposesAJdkProxiedBeanThen() {
		ConformanceRules.assertConforms(Scenario.of(Detection.DISPOSABLE_BEAN, Proxying.JDK, HelperScope.SINGLETON,
				Dependency.CONSTRUCTOR, Trigger.DESTROY_SINGLETON));
	}

	/**
	 * Bug (1): the registry (and so the endpoint) shows the proxy's class instead of the
	 * user's.
	 */
	@Test
	void registryShowsTheUsersClassOfAProxiedBean() {
		AnnotationConfigApplicationContext context = ScenarioRunner.context(Flavor.STARTER);
		CallbackJournal.reset("registry type of a CGLIB-proxied bean");
		ScenarioRunner.registerProxying(context, Proxying.CGLIB, Mechanism.TRANSACTIONAL, "helper");
		context.registerBeanDefinition("helper", new RootBeanDefinition(Beans.CloseableHelper.class));
		context.refresh();
		try {
			assertThat(AopUtils.isCglibProxy(context.getBean("helper"))).isTrue();
			List<DisposableResource> resources = context.getBean(DisposableRegistry.class).resources();
			assertThat(resources).filteredOn((resource) -> resource.beanName().equals("helper"))
				.singleElement()
				.satisfies((resource) -> assertThat(resource.type()).as("type() of the registry's resource")
					.isEqualTo(Beans.CloseableHelper.class.getName()));
		}
		finally {
			context.close();
		}
	}

	/**
	 * A proxied prototype injected into a singleton: disposed once, on the target, after
	 * its owner.
	 */
	@Test
	void cglibProxiedPrototypeInjectedIntoASingleton() {
		ConformanceRules.assertConforms(Scenario.of(Detection.AUTO_CLOSEABLE, Proxying.CGLIB,
				HelperScope.PROTOTYPE_INJECTED, Dependency.CONSTRUCTOR, Trigger.CLOSE));
	}

	/** A JDK-proxied prototype created in a {@code DisposalScope}. */
	@Test
	void jdkProxiedPrototypeInADisposalScope() {
		ConformanceRules.assertConforms(Scenario.of(Detection.SHUTDOWN_INFERRED, Proxying.JDK,
				HelperScope.PROTOTYPE_IN_SCOPE, Dependency.FIELD, Trigger.SCOPE_END));
	}

}
