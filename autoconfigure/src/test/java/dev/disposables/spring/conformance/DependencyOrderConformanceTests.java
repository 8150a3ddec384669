package dev.disposables.spring.conformance;

import java.util.List;
import java.util.stream.Stream;

import dev.disposables.spring.conformance.Scenario.Dependency;
import dev.disposables.spring.conformance.Scenario.Detection;
import dev.disposables.spring.conformance.Scenario.HelperScope;
import dev.disposables.spring.conformance.Scenario.Proxying;
import dev.disposables.spring.conformance.Scenario.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a dependency is expressed (constructor, field, {@code @DependsOn}, an
 * {@code ObjectProvider} resolved in the constructor, a {@code @Lazy} proxy used in an
 * initializer): the user's callback ends before the helper's begins. The user's callback
 * takes a little time, so a helper disposed concurrently shows.
 */
class DependencyOrderConformanceTests {

	static Stream<Arguments> dependencies() {
		return Stream.of(HelperScope.SINGLETON, HelperScope.PROTOTYPE_INJECTED, HelperScope.DISPOSAL)
			.flatMap((scope) -> scope.dependencies()
				.stream()
				.sorted()
				.map((dependency) -> Arguments.of(scope, dependency)));
	}

	@ParameterizedTest(name = "{1} dependency, {0}")
	@MethodSource("dependencies")
	void userFinishesBeforeItsHelperIsDisposed(HelperScope scope, Dependency dependency) {
		Trigger trigger = (scope == HelperScope.DISPOSAL) ? Trigger.SCOPE_END : Trigger.CLOSE;
		ConformanceRules
			.assertConforms(Scenario.of(Detection.AUTO_CLOSEABLE, Proxying.NONE, scope, dependency, trigger));
	}

	/**
	 * Bug (5): a helper resolved through an {@code ObjectProvider} in the user's
	 * constructor.
	 */
	@Test
	void helperResolvedThroughAnObjectProviderWaitsForItsUser() {
		ConformanceRules.assertConforms(Scenario.of(Detection.PRE_DESTROY_PUBLIC, Proxying.NONE, HelperScope.SINGLETON,
				Dependency.OBJECT_PROVIDER, Trigger.CLOSE));
	}

	/**
	 * Bug (5): a helper reached through a {@code @Lazy} proxy used in the user's
	 * initializer.
	 */
	@Test
	void helperResolvedThroughALazyProxyWaitsForItsUser() {
		ConformanceRules.assertConforms(Scenario.of(Detection.PRE_DESTROY_PUBLIC, Proxying.NONE, HelperScope.SINGLETON,
				Dependency.LAZY, Trigger.CLOSE));
	}

	/**
	 * The same edges hold when the shutdown is reached by {@code stop()} then
	 * {@code close()}.
	 */
	@Test
	void dependsOnIsKeptByStopThenClose() {
		for (Dependency dependency : List.of(Dependency.DEPENDS_ON, Dependency.CONSTRUCTOR)) {
			ConformanceRules.assertConforms(Scenario.of(Detection.DISPOSABLE_BEAN, Proxying.NONE, HelperScope.SINGLETON,
					dependency, Trigger.STOP_THEN_CLOSE));
		}
	}

}
