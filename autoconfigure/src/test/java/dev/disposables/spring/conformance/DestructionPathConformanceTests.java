package dev.disposables.spring.conformance;

import java.util.Map;

import dev.disposables.spring.conformance.ConformanceRules.Verdict;
import dev.disposables.spring.conformance.Scenario.Dependency;
import dev.disposables.spring.conformance.Scenario.Detection;
import dev.disposables.spring.conformance.Scenario.HelperScope;
import dev.disposables.spring.conformance.Scenario.Proxying;
import dev.disposables.spring.conformance.Scenario.Trigger;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way destruction is reached: {@code close()}, a failed refresh,
 * {@code destroySingleton}, {@code destroyBean(Object)},
 * {@code destroyBean(name, instance)}, {@code stop()} then {@code close()}.
 */
class DestructionPathConformanceTests {

	@Test
	void closeDisposesEverySingletonOnce() {
		ConformanceRules.assertConforms(Scenario.of(Detection.EXECUTOR_SERVICE, Proxying.NONE, HelperScope.SINGLETON,
				Dependency.FIELD, Trigger.CLOSE));
	}

	@Test
	void failedRefreshDisposesWhatWasCreatedOnceDependentsFirst() {
		ConformanceRules.assertConforms(Scenario.of(Detection.PRE_DESTROY_PRIVATE_ON_SUPERCLASS, Proxying.NONE,
				HelperScope.SINGLETON, Dependency.CONSTRUCTOR, Trigger.FAILED_REFRESH));
	}

	@Test
	void failedRefreshDisposesPrototypesInjectedIntoCreatedSingletons() {
		Verdict verdict = ConformanceRules.assertConforms(Scenario.of(Detection.AUTO_CLOSEABLE, Proxying.NONE,
				HelperScope.PROTOTYPE_INJECTED, Dependency.CONSTRUCTOR, Trigger.FAILED_REFRESH));
		assertThat(verdict.starter().journal().countsOf("helper#1")).isEqualTo(Map.of("close", 1L));
	}

	@Test
	void destroySingletonDisposesThenAfterItsDependents() {
		ConformanceRules.assertConforms(Scenario.of(Detection.DISPOSABLE_BEAN, Proxying.NONE, HelperScope.SINGLETON,
				Dependency.CONSTRUCTOR, Trigger.DESTROY_SINGLETON));
	}

	@Test
	void destroyBeanOfAnApplicationOwnedPrototypeDisposesItOnce() {
		ConformanceRules.assertConforms(Scenario.of(Detection.AUTO_CLOSEABLE, Proxying.NONE,
				HelperScope.PROTOTYPE_APP_OWNED, Dependency.NONE, Trigger.DESTROY_BEAN_OBJECT));
	}

	/**
	 * Bug (3): {@code destroyBean(Object)} has no definition, so Spring calls destroy()
	 * and so does the starter.
	 */
	@Test
	void destroyBeanOfAManagedDisposableBeanPrototypeCallsDestroyOnce() {
		ConformanceRules.assertConforms(Scenario.of(Detection.DISPOSABLE_BEAN, Proxying.NONE,
				HelperScope.PROTOTYPE_APP_OWNED, Dependency.NONE, Trigger.DESTROY_BEAN_OBJECT));
	}

	/** Bug (3), on a prototype injected into a singleton. */
	@Test
	void destroyBeanOfAnInjectedDisposableBeanPrototypeCallsDestroyOnce() {
		ConformanceRules.assertConforms(Scenario.of(Detection.DISPOSABLE_BEAN, Proxying.NONE,
				HelperScope.PROTOTYPE_INJECTED, Dependency.CONSTRUCTOR, Trigger.DESTROY_BEAN_OBJECT));
	}

	@Test
	void destroyBeanByNameDisposesAPrototypeOnce() {
		ConformanceRules.assertConforms(Scenario.of(Detection.DISPOSABLE_BEAN, Proxying.NONE,
				HelperScope.PROTOTYPE_APP_OWNED, Dependency.NONE, Trigger.DESTROY_BEAN_NAME));
	}

	/**
	 * Bug (4): after {@code stop()}, {@code close()} skips the shutdown disposal: no
	 * summary.
	 */
	@Test
	void stopThenCloseRunsTheShutdownDisposal() {
		ConformanceRules.assertConforms(Scenario.of(Detection.AUTO_CLOSEABLE, Proxying.NONE, HelperScope.SINGLETON,
				Dependency.CONSTRUCTOR, Trigger.STOP_THEN_CLOSE));
	}

	/** Bug (4): ... and tracked prototypes are never disposed. */
	@Test
	void stopThenCloseDisposesTrackedPrototypes() {
		ConformanceRules.assertConforms(Scenario.of(Detection.AUTO_CLOSEABLE, Proxying.NONE,
				HelperScope.PROTOTYPE_APP_OWNED, Dependency.NONE, Trigger.STOP_THEN_CLOSE));
	}

}
