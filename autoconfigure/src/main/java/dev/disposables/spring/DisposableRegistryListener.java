package dev.disposables.spring;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Receives the events of a {@link DisposableRegistry}. Metrics and the actuator endpoint
 * are built on it. Callbacks run on the thread that caused the event, possibly on a hot
 * path: keep them cheap and never throw.
 */
public interface DisposableRegistryListener {

	/**
	 * A resource has been registered.
	 * @param resource the resource
	 */
	default void onRegistered(DisposableResource resource) {
	}

	/**
	 * A resource's disposal starts running, on the thread that runs it: a disposal
	 * thread, or the caller's thread when the caller runs it (a scope closed by its
	 * owner). Not called for a resource abandoned before its disposal started.
	 * {@link #onDisposed} follows, on a starter thread or the caller's.
	 * @param resource the resource, {@link ResourceState#DISPOSING}
	 * @since 0.2.0
	 */
	default void onDisposalStarted(DisposableResource resource) {
	}

	/**
	 * A resource's disposal has finished: {@link ResourceState#DISPOSED},
	 * {@link ResourceState#FAILED} or {@link ResourceState#TIMED_OUT}.
	 * @param resource the resource, already in its terminal state
	 * @param duration how long the disposal took (for a timeout: until it was abandoned)
	 * @param failure the failure, if any
	 */
	default void onDisposed(DisposableResource resource, Duration duration, @Nullable Throwable failure) {
	}

	/**
	 * A resource was garbage-collected without having been disposed.
	 * @param resource the resource, in state {@link ResourceState#LEAKED}
	 */
	default void onLeaked(DisposableResource resource) {
	}

	/**
	 * The shutdown disposal starts; {@link #onShutdown} follows when it has finished.
	 * @since 0.2.0
	 */
	default void onShutdownStarted() {
	}

	/**
	 * The shutdown disposal has finished.
	 * @param report what it did
	 */
	default void onShutdown(ShutdownReport report) {
	}

}
