package dev.disposables.test;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposableResource;
import dev.disposables.spring.LeakReport;
import dev.disposables.spring.ResourceState;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a {@link DisposableRegistry}, to check in an application's own
 * tests that the code under test disposed what it created:
 *
 * <pre class="code">
 * &#064;Autowired DisposableRegistry registry;
 *
 * &#064;Test
 * void importDisposesItsConnections() {
 *     importer.importAll();
 *     DisposablesAssert.assertThat(registry).hasNoUndisposed("prototype").hasNoLeaks();
 * }
 * </pre>
 *
 * <p>
 * {@link #hasNoUndisposed} is deterministic: an instance dropped without being disposed
 * is still undisposed until the garbage collector finds it. {@link #hasNoLeaks} checks
 * what leak detection has reported so far, which happens only after a garbage collection.
 * Failure messages name bean, type, scope and state — never an instance's
 * {@code toString()}.
 *
 * <p>
 * These assertions look at the whole registry, whoever created what it holds; to check
 * only what each test created, in a context that Spring's test framework caches and
 * shares, use {@link DisposablesLeakCheck @DisposablesLeakCheck}.
 *
 * @since 0.2.0 in this module (it replaces
 * {@code dev.disposables.spring.test.DisposablesAssert}, removed from the
 * auto-configuration jar)
 */
public class DisposablesAssert extends AbstractAssert<DisposablesAssert, DisposableRegistry> {

	/** How many offending resources a failure message lists. */
	static final int LISTED = Descriptions.LISTED;

	/**
	 * Create an assertion; prefer {@link #assertThat(DisposableRegistry)}.
	 * @param registry the registry under test
	 */
	protected DisposablesAssert(DisposableRegistry registry) {
		super(registry, DisposablesAssert.class);
	}

	/**
	 * Start assertions on a registry.
	 * @param registry the registry, typically injected into the test
	 * @return the assertion
	 */
	public static DisposablesAssert assertThat(DisposableRegistry registry) {
		return new DisposablesAssert(registry);
	}

	/**
	 * Verifies that no resource of any scope is undisposed (live or disposing).
	 * Singletons live until shutdown, so this is mostly useful with
	 * {@link #hasNoUndisposed(String)} or in a context without disposable singletons.
	 * @return this assertion
	 */
	public DisposablesAssert hasNoUndisposed() {
		return hasNoUndisposedMatching("", (resource) -> true);
	}

	/**
	 * Verifies that no resource of a scope is undisposed (live or disposing).
	 * @param scope the scope name, such as {@code prototype} or {@code disposal}
	 * @return this assertion
	 */
	public DisposablesAssert hasNoUndisposed(String scope) {
		return hasNoUndisposedMatching(" in scope '" + scope + "'", (resource) -> scope.equals(resource.scope()));
	}

	/**
	 * Verifies that no undisposed resource was created from a bean definition.
	 * @param beanName the bean name
	 * @return this assertion
	 */
	public DisposablesAssert hasNoUndisposedBean(String beanName) {
		return hasNoUndisposedMatching(" of bean '" + beanName + "'",
				(resource) -> beanName.equals(resource.beanName()));
	}

	/**
	 * Verifies that exactly {@code expected} resources of a scope are undisposed.
	 * @param scope the scope name
	 * @param expected the expected count
	 * @return this assertion
	 */
	public DisposablesAssert hasUndisposedCount(String scope, long expected) {
		isNotNull();
		// Counted from the resources' states rather than the per-scope counters: a
		// disposal's stage completes as
		// soon as the state is final, a moment before the counters are updated.
		List<DisposableResource> undisposed = this.actual.resources((r) -> scope.equals(r.scope()), Integer.MAX_VALUE);
		long actualCount = undisposed.size();
		if (actualCount != expected) {
			failWithMessage("Expected %d undisposed resources in scope '%s' but found %d:%n%s", expected, scope,
					actualCount, describe(undisposed, actualCount));
		}
		return this;
	}

	/**
	 * Verifies that leak detection has reported no leak since the registry started (leaks
	 * are detected after the garbage collector has found an undisposed instance
	 * unreachable).
	 * @return this assertion
	 */
	public DisposablesAssert hasNoLeaks() {
		isNotNull();
		long leaked = 0;
		for (Map<ResourceState, Long> byState : this.actual.counts().values()) {
			leaked += byState.getOrDefault(ResourceState.LEAKED, 0L);
		}
		if (leaked > 0) {
			List<LeakReport> recent = this.actual.recentLeaks();
			failWithMessage("Expected no leaked resources but %d were garbage-collected without being disposed. "
					+ "Most recent:%n%s", leaked, Descriptions.leaks(recent, recent.size()));
		}
		return this;
	}

	private DisposablesAssert hasNoUndisposedMatching(String what, Predicate<DisposableResource> filter) {
		isNotNull();
		List<DisposableResource> undisposed = this.actual.resources(filter, LISTED + 1);
		if (!undisposed.isEmpty()) {
			long total = (undisposed.size() > LISTED) ? this.actual.resources(filter, Integer.MAX_VALUE).size()
					: undisposed.size();
			failWithMessage("Expected no undisposed resources%s but found %d:%n%s", what, total,
					describe(undisposed, total));
		}
		return this;
	}

	private static String describe(List<DisposableResource> resources, long total) {
		return Descriptions.resources(resources, total, 1);
	}

}
