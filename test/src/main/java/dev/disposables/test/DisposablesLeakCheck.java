package dev.disposables.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails a test that leaves a resource it created undisposed, or whose resource was
 * garbage-collected without being disposed (a leak). Put it on a Spring test class
 * ({@code @SpringBootTest}, a test slice, {@code @SpringJUnitConfig}):
 *
 * <pre class="code">
 * &#064;SpringBootTest
 * &#064;DisposablesLeakCheck
 * class ImportServiceTests {
 *     // every test fails if it leaves a prototype, a DisposalScope's or a request's resource undisposed
 * }
 * </pre>
 *
 * <p>
 * Only what the test created counts (from before its {@code @BeforeEach} methods to after
 * its {@code @AfterEach} methods), so a context shared by many test classes through
 * Spring's test context cache attributes each resource to the test that created it.
 * Singletons, and resources injected into another bean (disposed with it), are the
 * context's business and never count. A failure names each resource's bean, type, scope,
 * state and allocation site, never its {@code toString()}.
 *
 * <p>
 * Leak detection runs at the {@code paranoid} level in the test's application context
 * (every instance records where it was allocated), unless the test sets
 * {@code disposables.leak-detection.level} itself (in
 * {@code @SpringBootTest(properties = ...)} or {@code @TestPropertySource}).
 *
 * <p>
 * On a method, the annotation replaces the class's for that test, for instance to opt it
 * out with {@code @DisposablesLeakCheck(enabled = false)}. A test slice needs
 * {@link AutoConfigureDisposables} to have Disposables at all. For an
 * {@code ApplicationContextRunner}, see {@link LeakCheck#leakChecked}.
 *
 * @see LeakCheck
 * @see AutoConfigureDisposables
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DisposablesLeakCheckExtension.class)
public @interface DisposablesLeakCheck {

	/**
	 * Whether the test is checked. {@code false} on a method opts that test out.
	 * @return whether to check
	 */
	boolean enabled() default true;

	/**
	 * The scopes whose resources must be disposed by the end of the test: by default
	 * prototypes (owned by the application or a {@code DisposalScope}),
	 * {@code @DisposalScoped} beans and request-scoped beans. Add {@code session} or a
	 * custom scope's name to check them too; {@code singleton} resources created during a
	 * test (lazy singletons) live until the context closes and should not be listed.
	 * @return the scope names
	 */
	String[] scopes() default { "prototype", "disposal", "request" };

	/**
	 * How long to wait at the end of the test for disposals that are still running or
	 * about to start (a request's resources are disposed asynchronously after the
	 * response, an async disposal takes its time): the check passes as soon as every
	 * resource is disposed, and fails only when some are still undisposed after this
	 * long. A duration such as {@code 500ms}, {@code 2s} or {@code PT2S}; a plain number
	 * is milliseconds.
	 * @return the grace period
	 */
	String gracePeriod() default "1s";

}
