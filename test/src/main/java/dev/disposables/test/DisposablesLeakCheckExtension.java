package dev.disposables.test;

import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The JUnit Jupiter side of {@link DisposablesLeakCheck @DisposablesLeakCheck},
 * registered by the annotation. The check itself runs in Spring's test lifecycle
 * ({@link DisposablesLeakCheckTestExecutionListener}), where it is ordered against
 * transactions and {@code @DirtiesContext}; this extension makes sure that it does run,
 * so that an annotated test never passes unchecked: on a class that is not a Spring test,
 * or whose {@code @TestExecutionListeners} replaced Spring's default listeners, the test
 * fails and says what to do.
 *
 * <p>
 * Use the annotation rather than registering this class yourself.
 */
public final class DisposablesLeakCheckExtension implements BeforeTestExecutionCallback {

	/**
	 * Runs after every before-each callback (Spring's included) and {@code @BeforeEach}
	 * method, whatever the order in which the extensions were registered.
	 */
	@Override
	public void beforeTestExecution(ExtensionContext context) {
		DisposablesLeakCheck annotation = LeakCheckSettings.find(context.getRequiredTestClass(),
				context.getRequiredTestMethod());
		if (annotation == null || !annotation.enabled() || DisposablesLeakCheckTestExecutionListener.isRunning()) {
			return;
		}
		throw new ExtensionConfigurationException("@DisposablesLeakCheck could not check "
				+ context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName()
				+ "(): it checks the application context of a Spring test (@SpringBootTest, a test slice with "
				+ "@AutoConfigureDisposables, @SpringJUnitConfig) through Spring's default test execution listeners "
				+ "(keep them with @TestExecutionListeners(mergeMode = MERGE_WITH_DEFAULTS)). With an "
				+ "ApplicationContextRunner, wrap the consumer instead: runner.run(LeakCheck.leakChecked(...))");
	}

}
