package dev.disposables.test;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.LinkedHashMap;
import java.util.Map;

import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs test classes that must fail (leaking ones) through JUnit's {@link EngineTestKit},
 * and keeps them from running anywhere else: they are static nested classes (which
 * Surefire does not select) and annotated with {@link Case @TestKit.Case}, which disables
 * them unless the test kit passes its configuration parameter (an IDE that runs every
 * class of a package still skips them).
 */
final class TestKit {

	static final String CASES_PARAMETER = "disposables.test.test-kit-cases";

	private TestKit() {
	}

	static EngineExecutionResults run(DiscoverySelector... selectors) {
		return EngineTestKit.engine("junit-jupiter")
			.configurationParameter(CASES_PARAMETER, "true")
			.selectors(selectors)
			.execute();
	}

	/**
	 * The result of every test that finished, by method display name ({@code leaks()}).
	 */
	static Map<String, TestExecutionResult> results(EngineExecutionResults results) {
		Map<String, TestExecutionResult> byName = new LinkedHashMap<>();
		for (Event event : results.testEvents().finished().list()) {
			byName.put(event.getTestDescriptor().getDisplayName(), event.getRequiredPayload(TestExecutionResult.class));
		}
		return byName;
	}

	/**
	 * Asserts that a test failed, for assertions on its failure's message.
	 * @param result the test's result
	 * @return assertions on the message
	 */
	static AbstractStringAssert<?> assertFailedWithMessage(TestExecutionResult result) {
		assertThat(result.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
		return assertThat(result.getThrowable()).get().extracting(Throwable::getMessage).asString();
	}

	/**
	 * A test class that only the test kit runs.
	 */
	@Target(ElementType.TYPE)
	@Retention(RetentionPolicy.RUNTIME)
	@ExtendWith(OnlyInTestKit.class)
	@interface Case {

	}

	static final class OnlyInTestKit implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			return context.getConfigurationParameter(CASES_PARAMETER).map(Boolean::parseBoolean).orElse(false)
					? ConditionEvaluationResult.enabled("run by the test kit")
					: ConditionEvaluationResult.disabled("fails on purpose: run only through TestKit");
		}

	}

}
