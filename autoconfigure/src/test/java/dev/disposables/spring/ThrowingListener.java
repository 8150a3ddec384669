package dev.disposables.spring;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A listener that fails at every event, for the tests that check a listener's failure
 * never stops a disposal or a shutdown.
 */
class ThrowingListener implements DisposableRegistryListener {

	@Override
	public void onRegistered(DisposableResource resource) {
		throw new IllegalStateException("listener failed");
	}

	@Override
	public void onDisposed(DisposableResource resource, Duration duration, @Nullable Throwable failure) {
		throw new IllegalStateException("listener failed");
	}

	@Override
	public void onLeaked(DisposableResource resource) {
		throw new IllegalStateException("listener failed");
	}

	@Override
	public void onShutdown(ShutdownReport report) {
		throw new IllegalStateException("listener failed");
	}

}
