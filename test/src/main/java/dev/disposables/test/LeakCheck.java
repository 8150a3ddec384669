package dev.disposables.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposableResource;
import dev.disposables.spring.ResourceState;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.context.ApplicationContext;

/**
 * Records the resources created while it runs and, at {@link #verify(String)}, fails if
 * any of them is still undisposed (after a grace period for disposals in flight) or was
 * garbage-collected without being disposed. It is what
 * {@link DisposablesLeakCheck @DisposablesLeakCheck} runs around each test; use it
 * directly where there is no Spring test context, typically with an
 * {@code ApplicationContextRunner}:
 *
 * <pre class="code">
 * import static dev.disposables.test.LeakCheck.leakChecked;
 *
 * this.runner.withPropertyValues("disposables.leak-detection.level=paranoid")
 *     .run(leakChecked((context) -&gt; context.getBean(Importer.class).importAll()));
 * </pre>
 *
 * <p>
 * A resource counts when it is created while the check runs, in one of the checked scopes
 * (by default {@code prototype}, {@code disposal} and {@code request}), and is owned by
 * no other bean: a prototype injected into another bean is disposed right after that
 * bean, so it is that bean's business (and a singleton's is the context's).
 */
public final class LeakCheck implements AutoCloseable {

	/** How often the grace period looks again at the resources still undisposed. */
	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	/**
	 * How many allocation frames a failure shows per resource: enough to see the caller's
	 * caller.
	 */
	private static final int SITE_FRAMES = 5;

	private final LeakCheckSettings settings;

	private final List<RegistryRecorder> recorders;

	/**
	 * Identity-keyed: the resources created while running and not disposed so far (or
	 * leaked).
	 */
	private final Map<Identity, DisposableResource> created = new ConcurrentHashMap<>();

	private final AtomicBoolean stopped = new AtomicBoolean();

	private LeakCheck(Collection<DisposableRegistry> registries, LeakCheckSettings settings) {
		this.settings = settings;
		this.recorders = registries.stream().map(RegistryRecorder::of).toList();
		this.recorders.forEach((recorder) -> recorder.add(this));
	}

	/**
	 * Starts recording what a registry creates, checking prototypes,
	 * {@code @DisposalScoped} and request-scoped resources with a grace period of one
	 * second.
	 * @param registry the registry, typically the application context's
	 * @return the running check
	 */
	public static LeakCheck start(DisposableRegistry registry) {
		return start(List.of(registry), LeakCheckSettings.DEFAULTS);
	}

	/**
	 * Starts recording what a registry creates in some scopes.
	 * @param registry the registry, typically the application context's
	 * @param gracePeriod how long {@link #verify} waits for disposals still in flight
	 * @param scopes the scopes whose resources must be disposed
	 * @return the running check
	 */
	public static LeakCheck start(DisposableRegistry registry, Duration gracePeriod, String... scopes) {
		return start(List.of(registry), new LeakCheckSettings(Set.copyOf(Arrays.asList(scopes)), gracePeriod));
	}

	static LeakCheck start(Collection<DisposableRegistry> registries, LeakCheckSettings settings) {
		return new LeakCheck(registries, settings);
	}

	/**
	 * Wraps an {@code ApplicationContextRunner} consumer: what the consumer creates
	 * (after the context has been refreshed) must be disposed when it returns, with the
	 * default scopes and grace period. The check is skipped when the consumer throws, so
	 * that its own failure is reported alone.
	 * @param <C> the context type
	 * @param consumer the consumer
	 * @return a consumer that runs it and then checks
	 * @throws IllegalStateException (from the returned consumer) if the context has no
	 * {@link DisposableRegistry}
	 */
	public static <C extends ApplicationContext> ContextConsumer<C> leakChecked(ContextConsumer<? super C> consumer) {
		return (context) -> {
			if (context instanceof ApplicationContextAssertProvider<?> provider
					&& provider.getStartupFailure() != null) {
				consumer.accept(context); // nothing to check: let the consumer assert on
											// the failure
				return;
			}
			LeakCheck check = start(registries(context), LeakCheckSettings.DEFAULTS);
			try {
				consumer.accept(context);
			}
			catch (Throwable ex) {
				check.close();
				throw ex;
			}
			check.verify("The ApplicationContextRunner consumer");
		};
	}

	/**
	 * The registries of a context and its ancestors (each context manages its own beans).
	 * @param context the context
	 * @return the registries, the context's first
	 * @throws IllegalStateException if there is none
	 */
	static List<DisposableRegistry> registries(ApplicationContext context) {
		List<DisposableRegistry> registries = new ArrayList<>();
		for (ApplicationContext current = context; current != null; current = current.getParent()) {
			registries.addAll(current.getBeansOfType(DisposableRegistry.class, false, false).values());
		}
		if (registries.isEmpty()) {
			throw new IllegalStateException("No DisposableRegistry in the application context, so there is nothing "
					+ "to check: a test slice (@WebMvcTest, @JsonTest, ...) needs @AutoConfigureDisposables, and "
					+ "disposables.enabled must not be false");
		}
		return registries;
	}

	void registered(DisposableResource resource) {
		if (!this.stopped.get() && this.settings.scopes().contains(resource.scope())) {
			this.created.put(new Identity(resource), resource);
		}
	}

	void disposed(DisposableResource resource) {
		// Keeps nothing it no longer needs: a test may create a million prototypes, each
		// with its allocation site.
		this.created.remove(new Identity(resource));
	}

	/**
	 * Stops recording and fails if a resource created while the check ran is still
	 * undisposed once the grace period is over (it ends as soon as none is), or was
	 * garbage-collected without being disposed.
	 * @param subject what ran, for the message, such as {@code "MyTests.importsAll()"}
	 * @throws AssertionError naming each offending resource's bean, type, scope, state
	 * and allocation site
	 */
	public void verify(String subject) {
		close();
		long deadline = System.nanoTime() + this.settings.gracePeriod().toNanos();
		List<DisposableResource> undisposed = select(false);
		while (!undisposed.isEmpty() && System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted()) {
			LockSupport.parkNanos(Math.min(POLL_NANOS, deadline - System.nanoTime()));
			undisposed = select(false);
		}
		List<DisposableResource> leaked = select(true);
		if (!undisposed.isEmpty() || !leaked.isEmpty()) {
			throw new AssertionError(message(subject, undisposed, leaked));
		}
	}

	/**
	 * Stops recording without checking.
	 */
	@Override
	public void close() {
		if (this.stopped.compareAndSet(false, true)) {
			this.recorders.forEach((recorder) -> recorder.remove(this));
		}
	}

	private List<DisposableResource> select(boolean leaked) {
		List<DisposableResource> selected = new ArrayList<>();
		for (DisposableResource resource : this.created.values()) {
			ResourceState state = resource.state();
			// A live instance of a class whose disposal by its user is invisible may have
			// been closed correctly (a try-with-resources): never reported. One whose
			// disposal is still running is.
			boolean matches = leaked ? state == ResourceState.LEAKED : state == ResourceState.DISPOSING
					|| (state == ResourceState.LIVE && resource.observesUserDisposal());
			if (matches && resource.owner() == null) {
				selected.add(resource);
			}
		}
		selected.sort(Comparator.comparing(DisposableResource::createdAt).thenComparingLong(DisposableResource::id));
		return selected;
	}

	private String message(String subject, List<DisposableResource> undisposed, List<DisposableResource> leaked) {
		String newLine = System.lineSeparator();
		StringBuilder message = new StringBuilder(subject);
		if (!undisposed.isEmpty()) {
			message.append(" left ").append(count(undisposed.size())).append(" undisposed");
			Duration grace = this.settings.gracePeriod();
			if (!grace.isZero()) {
				message.append(" (after waiting ").append(grace.toMillis()).append(" ms for disposals in flight)");
			}
		}
		if (!leaked.isEmpty()) {
			message.append(undisposed.isEmpty() ? " leaked " : " and leaked ").append(count(leaked.size()));
		}
		message.append(':').append(newLine);
		if (!undisposed.isEmpty()) {
			message.append("Undisposed:")
				.append(newLine)
				.append(Descriptions.resources(undisposed, undisposed.size(), SITE_FRAMES));
		}
		if (!leaked.isEmpty()) {
			message.append("Leaked (garbage-collected without being disposed):")
				.append(newLine)
				.append(Descriptions.resources(leaked, leaked.size(), SITE_FRAMES));
		}
		message.append("Dispose what the test creates (try-with-resources, a DisposalScope, "
				+ "DisposableRegistry.dispose), or opt the test out with @DisposablesLeakCheck(enabled = false).");
		return message.toString();
	}

	private static String count(int count) {
		return count + ((count == 1) ? " resource" : " resources");
	}

	/**
	 * Identity of a resource view (the registry's own equality is not meant for this).
	 */
	private record Identity(DisposableResource resource) {

		@Override
		public boolean equals(@Nullable Object other) {
			return other instanceof Identity identity && identity.resource == this.resource;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this.resource);
		}

	}

}
