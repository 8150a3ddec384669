package dev.disposables.spring.conformance;

import java.util.Map;

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
 * Every scope: singleton, prototypes (injected, in a {@code DisposalScope}, owned by the
 * application), request, session, {@code SimpleThreadScope} and {@code @DisposalScoped};
 * the scope's own end and {@code destroyScopedBean}.
 */
class ScopeConformanceTests {

	@ParameterizedTest
	@EnumSource(HelperScope.class)
	void eachScopeEndsTheUsualWay(HelperScope scope) {
		Trigger trigger = Scenario.triggers(scope, usualDependency(scope), Detection.AUTO_CLOSEABLE, Proxying.NONE)
			.get(0);
		ConformanceRules.assertConforms(
				Scenario.of(Detection.AUTO_CLOSEABLE, Proxying.NONE, scope, usualDependency(scope), trigger));
	}

	/**
	 * Documented improvement: request-scoped beans are disposed in reverse creation order
	 * (Spring: forward).
	 */
	@Test
	void requestScopedBeansAreDisposedInReverseOrder() {
		Verdict verdict = ConformanceRules.assertConforms(Scenario.of(Detection.PRE_DESTROY_PUBLIC, Proxying.NONE,
				HelperScope.REQUEST, Dependency.CONSTRUCTOR, Trigger.SCOPE_END));
		assertThat(verdict.improvements()).as(verdict.describe())
			.anyMatch((improvement) -> improvement.startsWith("helper#1 disposed after its dependent user#1"));
	}

	/**
	 * Documented improvement: a prototype injected into a singleton is disposed right
	 * after it.
	 */
	@Test
	void prototypeInjectedIntoASingletonIsDisposedAfterItsOwner() {
		Verdict verdict = ConformanceRules.assertConforms(Scenario.of(Detection.DISPOSABLE_BEAN, Proxying.NONE,
				HelperScope.PROTOTYPE_INJECTED, Dependency.FIELD, Trigger.CLOSE));
		assertThat(verdict.improvements()).anyMatch((improvement) -> improvement.startsWith("helper#1 [destroy]"));
	}

	/**
	 * Documented improvement: prototypes created in a {@code DisposalScope} are disposed
	 * when it ends.
	 */
	@Test
	void prototypesCreatedInADisposalScopeAreDisposedAtItsEnd() {
		Verdict verdict = ConformanceRules.assertConforms(Scenario.of(Detection.AUTO_CLOSEABLE, Proxying.NONE,
				HelperScope.PROTOTYPE_IN_SCOPE, Dependency.OBJECT_PROVIDER, Trigger.SCOPE_END));
		assertThat(verdict.starter().journal().countsOf("helper#1")).isEqualTo(Map.of("close", 1L));
	}

	/**
	 * Documented improvement: an application-owned prototype still alive is disposed at
	 * shutdown.
	 */
	@Test
	void applicationOwnedPrototypeIsDisposedAtShutdown() {
		ConformanceRules.assertConforms(Scenario.of(Detection.SHUTDOWN_INFERRED, Proxying.NONE,
				HelperScope.PROTOTYPE_APP_OWNED, Dependency.NONE, Trigger.CLOSE));
	}

	/**
	 * Documented improvement: {@code SimpleThreadScope} ignores destruction callbacks;
	 * the starter disposes.
	 */
	@Test
	void threadScopedBeansAreDisposedOnceAtShutdown() {
		ConformanceRules.assertConforms(Scenario.of(Detection.PRE_DESTROY_PRIVATE, Proxying.NONE, HelperScope.THREAD,
				Dependency.CONSTRUCTOR, Trigger.CLOSE));
	}

	@Test
	void disposalScopedBeansAreDisposedInReverseOrderAtTheScopeEnd() {
		ConformanceRules.assertConforms(Scenario.of(Detection.ASYNC_METHOD, Proxying.NONE, HelperScope.DISPOSAL,
				Dependency.CONSTRUCTOR, Trigger.SCOPE_END));
	}

	@Test
	void sessionScopedBeansAreDisposedOnceWhenTheSessionEnds() {
		ConformanceRules.assertConforms(Scenario.of(Detection.DESTROY_METHOD, Proxying.NONE, HelperScope.SESSION,
				Dependency.FIELD, Trigger.SCOPE_END));
	}

	/**
	 * Documented improvement: stock Spring destroys a session-scoped bean twice on
	 * {@code destroyScopedBean} (removing the session attribute unbinds its destruction
	 * callback, then the bean is destroyed again); the starter once.
	 */
	@Test
	void destroyScopedBeanOnASessionScopedBeanDisposesItOnce() {
		Verdict verdict = ConformanceRules.assertConforms(Scenario.of(Detection.AUTO_CLOSEABLE, Proxying.NONE,
				HelperScope.SESSION, Dependency.CONSTRUCTOR, Trigger.DESTROY_SCOPED_BEAN));
		assertThat(verdict.stock().journal().countsOf("helper#1")).isEqualTo(Map.of("close", 2L));
		assertThat(verdict.improvements()).contains("helper#1.close() runs once; stock Spring runs it 2 times");
	}

	/**
	 * Bug (12): {@code destroyScopedBean} on a request-scoped bean is left to the end of
	 * the request.
	 */
	@Test
	void destroyScopedBeanOnARequestScopedBeanDisposesItThen() {
		ConformanceRules.assertConforms(Scenario.of(Detection.DISPOSABLE_BEAN, Proxying.NONE, HelperScope.REQUEST,
				Dependency.DEPENDS_ON, Trigger.DESTROY_SCOPED_BEAN));
	}

	/** Bug (12): the same for a {@code @DisposalScoped} bean. */
	@Test
	void destroyScopedBeanOnADisposalScopedBeanDisposesItThen() {
		ConformanceRules.assertConforms(Scenario.of(Detection.AUTO_CLOSEABLE, Proxying.NONE, HelperScope.DISPOSAL,
				Dependency.FIELD, Trigger.DESTROY_SCOPED_BEAN));
	}

	/**
	 * Bug (13): session-scoped disposables restored from a persisted session are still
	 * disposed when the session ends (the starter's destruction post-processor is not
	 * serializable, so a restored destruction callback no longer reaches it, while Spring
	 * skips the methods the starter took over).
	 */
	@Test
	void sessionScopedDisposableRestoredFromAPersistedSessionIsDisposedWhenTheSessionEnds() {
		ConformanceRules.assertConforms(Scenario.of(Detection.AUTO_CLOSEABLE, Proxying.NONE, HelperScope.SESSION,
				Dependency.CONSTRUCTOR, Trigger.SESSION_PERSISTED));
	}

	/** Bug (13), with a {@code @PreDestroy} method. */
	@Test
	void sessionScopedPreDestroyBeanRestoredFromAPersistedSessionIsDisposedOnceWhenTheSessionEnds() {
		ConformanceRules.assertConforms(Scenario.of(Detection.PRE_DESTROY_PUBLIC, Proxying.NONE, HelperScope.SESSION,
				Dependency.FIELD, Trigger.SESSION_PERSISTED));
	}

	private static Dependency usualDependency(HelperScope scope) {
		return scope.dependencies().contains(Dependency.CONSTRUCTOR) ? Dependency.CONSTRUCTOR : Dependency.NONE;
	}

}
