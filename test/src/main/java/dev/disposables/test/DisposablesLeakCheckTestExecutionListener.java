package dev.disposables.test;

import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;
import org.springframework.util.ClassUtils;

/**
 * Runs a {@link LeakCheck} around each test method annotated (or whose class is
 * annotated) with {@link DisposablesLeakCheck @DisposablesLeakCheck}, on the registries
 * of the test's application context. Registered through
 * {@code META-INF/spring.factories}, so it is one of Spring's default listeners.
 *
 * <p>
 * A Spring listener rather than JUnit callbacks, for the order: it starts after the
 * context may have been replaced ({@code @DirtiesContext} before the method, order 1500)
 * and after dependency injection, and it checks after {@code @AfterEach} methods, after a
 * test transaction has rolled back (order 4000) and before a context dirtied by the
 * method is closed (order 3000), whatever the order of the annotations on the test class.
 */
final class DisposablesLeakCheckTestExecutionListener extends Stateless implements TestExecutionListener, Ordered {

	/**
	 * Between {@code DirtiesContextTestExecutionListener} (3000) and
	 * {@code TransactionalTestExecutionListener}.
	 */
	static final int ORDER = 3500;

	private static final String CHECK_ATTRIBUTE = ClassUtils.getQualifiedName(LeakCheck.class) + ".check";

	/**
	 * The check running on this thread, for {@link DisposablesLeakCheckExtension} to see
	 * that the listener did its part: JUnit runs a test's callbacks and the test itself
	 * on one thread.
	 */
	private static final ThreadLocal<@Nullable LeakCheck> running = new ThreadLocal<>();

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void beforeTestMethod(TestContext testContext) {
		stop(testContext); // a check left over from a test whose after-method phase never
							// ran
		DisposablesLeakCheck annotation = LeakCheckSettings.find(testContext.getTestClass(),
				testContext.getTestMethod());
		if (annotation == null || !annotation.enabled()) {
			return;
		}
		LeakCheckSettings settings = LeakCheckSettings.of(annotation);
		LeakCheck check = LeakCheck.start(LeakCheck.registries(testContext.getApplicationContext()), settings);
		testContext.setAttribute(CHECK_ATTRIBUTE, check);
		running.set(check);
	}

	@Override
	public void afterTestMethod(TestContext testContext) {
		LeakCheck check = stop(testContext);
		if (check == null) {
			return;
		}
		if (testContext.getTestException() != null) {
			// The test failed already: its own failure says more than what it left
			// behind.
			check.close();
			return;
		}
		check.verify(ClassUtils.getShortName(testContext.getTestClass()) + "." + testContext.getTestMethod().getName()
				+ "()");
	}

	private static @Nullable LeakCheck stop(TestContext testContext) {
		running.remove();
		LeakCheck check = (LeakCheck) testContext.removeAttribute(CHECK_ATTRIBUTE);
		if (check != null) {
			check.close(); // verify() works on a closed check: it only stops the
							// recording
		}
		return check;
	}

	static boolean isRunning() {
		return running.get() != null;
	}

}
