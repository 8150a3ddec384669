package dev.disposables.spring.conformance;

import dev.disposables.spring.conformance.ConformanceRules.Verdict;
import dev.disposables.spring.conformance.Scenario.Dependency;
import dev.disposables.spring.conformance.Scenario.Detection;
import dev.disposables.spring.conformance.Scenario.HelperScope;
import dev.disposables.spring.conformance.Scenario.Proxying;
import dev.disposables.spring.conformance.Scenario.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way Spring detects a destruction callback: on a singleton, on a prototype
 * injected into a singleton, and with the bean definition Spring AOT generates.
 */
class DetectionConformanceTests {

	@ParameterizedTest
	@EnumSource(Detection.class)
	void singletonClosed(Detection detection) {
		ConformanceRules.assertConforms(
				Scenario.of(detection, Proxying.NONE, HelperScope.SINGLETON, Dependency.CONSTRUCTOR, Trigger.CLOSE));
	}

	@ParameterizedTest
	@EnumSource(Detection.class)
	void prototypeInjectedIntoASingletonClosed(Detection detection) {
		ConformanceRules.assertConforms(Scenario.of(detection, Proxying.NONE, HelperScope.PROTOTYPE_INJECTED,
				Dependency.CONSTRUCTOR, Trigger.CLOSE));
	}

	@ParameterizedTest
	@EnumSource(Detection.class)
	void aotStyleDefinitionOfASingletonClosed(Detection detection) {
		ConformanceRules.assertConforms(
				Scenario.of(detection, Proxying.NONE, HelperScope.SINGLETON, Dependency.CONSTRUCTOR, Trigger.CLOSE)
					.asAot());
	}

	/**
	 * Bug (2): {@code @Bean(destroyMethod = "release")} where {@code release()} is also
	 * {@code @PreDestroy}.
	 */
	@Test
	void destroyMethodNamingAPreDestroyMethodRunsItOnce() {
		ConformanceRules.assertConforms(Scenario.of(Detection.DESTROY_METHOD_ALSO_PRE_DESTROY, Proxying.NONE,
				HelperScope.SINGLETON, Dependency.CONSTRUCTOR, Trigger.CLOSE));
	}

	/**
	 * Bug (2): Spring AOT writes the {@code @PreDestroy} method's name into the
	 * definition's destroy methods.
	 */
	@Test
	void aotDefinitionListingThePreDestroyMethodRunsItOnce() {
		ConformanceRules.assertConforms(
				Scenario
					.of(Detection.PRE_DESTROY_PUBLIC, Proxying.NONE, HelperScope.SINGLETON, Dependency.CONSTRUCTOR,
							Trigger.CLOSE)
					.asAot());
	}

	/** Bug (2), on a prototype owned by a {@code DisposalScope}. */
	@Test
	void aotDefinitionOfAScopedPrototypeRunsThePreDestroyMethodOnce() {
		ConformanceRules
			.assertConforms(Scenario
				.of(Detection.PRE_DESTROY_PUBLIC, Proxying.NONE, HelperScope.PROTOTYPE_IN_SCOPE, Dependency.CONSTRUCTOR,
						Trigger.SCOPE_END)
				.asAot());
	}

	/**
	 * Documented improvement: stock Spring does not know {@code disposeAsync()}; the
	 * starter calls it, once.
	 */
	@Test
	void asyncOnlyDestroyMethodIsCalledOnceByTheStarterOnly() {
		Verdict verdict = ConformanceRules.assertConforms(Scenario.of(Detection.ASYNC_METHOD, Proxying.NONE,
				HelperScope.SINGLETON, Dependency.CONSTRUCTOR, Trigger.CLOSE));
		assertThat(verdict.stock().journal().callbacksOf("helper#1")).isEmpty();
		assertThat(verdict.improvements())
			.anyMatch((improvement) -> improvement.contains("[disposeAsync]") && improvement.contains("async-first"));
	}

	/**
	 * Async-first: an {@code AsyncDisposable} is disposed through {@code disposeAsync()}
	 * only, never close().
	 */
	@Test
	void asyncDisposableIsDisposedThroughDisposeAsyncOnce() {
		Verdict verdict = ConformanceRules.assertConforms(Scenario.of(Detection.ASYNC_DISPOSABLE, Proxying.NONE,
				HelperScope.SINGLETON, Dependency.CONSTRUCTOR, Trigger.CLOSE));
		assertThat(verdict.starter().journal().countsOf("helper#1")).containsOnlyKeys("disposeAsync");
	}

	/** {@code destroyMethod = ""}: neither stock Spring nor the starter touch it. */
	@Test
	void optedOutBeanIsLeftAloneByBoth() {
		Verdict verdict = ConformanceRules.assertConforms(Scenario.of(Detection.OPT_OUT, Proxying.NONE,
				HelperScope.PROTOTYPE_INJECTED, Dependency.FIELD, Trigger.CLOSE));
		assertThat(verdict.starter().journal().callbacksOf("helper#1")).isEmpty();
	}

}
