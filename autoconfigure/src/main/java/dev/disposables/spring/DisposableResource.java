package dev.disposables.spring;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A read-only view of one resource managed by the {@link DisposableRegistry}. It never
 * exposes the instance itself, so that nothing built on it (metrics, the actuator
 * endpoint) can keep the instance reachable or print it.
 */
public interface DisposableResource {

	/**
	 * Unique id of this resource within its registry.
	 * @return the id, positive and increasing in registration order
	 */
	long id();

	/**
	 * Name of the bean definition the instance was created from.
	 * @return the bean name
	 */
	String beanName();

	/**
	 * Fully qualified class name of the instance.
	 * @return the type name
	 */
	String type();

	/**
	 * The scope the instance was created in: {@code singleton}, {@code prototype},
	 * {@code request}, {@code session}, {@code disposal} or a custom scope name.
	 * @return the scope name
	 */
	String scope();

	/**
	 * How the resource is disposed.
	 * @return the disposal mode
	 */
	DisposalMode mode();

	/**
	 * The {@link DisposalAdapter} that disposes the resource.
	 * @return the adapter's {@linkplain DisposalAdapter#name() name}, or {@code null}
	 * when the generic rules apply
	 * @since 0.2.0
	 */
	default @Nullable String adapter() {
		return null;
	}

	/**
	 * Current state.
	 * @return the state
	 */
	ResourceState state();

	/**
	 * When the resource was registered (right after the bean was initialized).
	 * @return the creation instant
	 */
	Instant createdAt();

	/**
	 * When the resource reached a terminal state.
	 * @return the instant, or {@code null} while it is still live or disposing
	 */
	@Nullable Instant finishedAt();

	/**
	 * Where the instance was allocated, when leak detection recorded it.
	 * @return the allocation stack, or {@code null} when not recorded
	 */
	StackTraceElement @Nullable [] allocationSite();

	/**
	 * Whether the registry learns when the user of the instance disposes it by a path the
	 * registry does not run (its own {@code close()}, a try-with-resources): its class
	 * extends {@code DisposableBase} or is annotated {@code @ReportsDisposal}. Only then
	 * can a resource found undisposed, or collected, be called a leak; for any other
	 * class a {@code close()} called directly is invisible, and the instance counts as
	 * {@link ResourceState#COLLECTED} rather than {@link ResourceState#LEAKED} once
	 * collected.
	 * @return whether a disposal by the instance's user is observed
	 * @since 0.1.0
	 */
	default boolean observesUserDisposal() {
		return false;
	}

	/**
	 * The bean this resource belongs to, when it was injected into (or resolved while
	 * creating) another bean: it is disposed right after that owner ends, so its life is
	 * the owner's business. The owner may be a bean that is not disposable itself (it is
	 * then never listed by the registry).
	 * @return the owner, or {@code null} for a resource owned by its scope or by the
	 * application
	 */
	default @Nullable DisposableResource owner() {
		return null;
	}

}
