package dev.disposables.test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposableRegistryListener;
import dev.disposables.spring.DisposableResource;
import org.jspecify.annotations.Nullable;

/**
 * The one listener a registry gets for leak checks, added on the first check and kept for
 * the registry's life: it hands registrations and disposals to the checks running. A
 * registry has no way to remove a listener, and a context cached by Spring's test
 * framework serves many tests: one listener per registry, rather than one per test, keeps
 * the registry's listener list from growing with the number of tests.
 */
final class RegistryRecorder implements DisposableRegistryListener {

	/**
	 * Weak keys: a recorder never keeps a closed context's registry reachable (it holds
	 * no reference to it).
	 */
	private static final Map<DisposableRegistry, RegistryRecorder> recorders = new WeakHashMap<>();

	private final Set<LeakCheck> running = new CopyOnWriteArraySet<>();

	private RegistryRecorder() {
	}

	static RegistryRecorder of(DisposableRegistry registry) {
		synchronized (recorders) {
			return recorders.computeIfAbsent(registry, (key) -> {
				RegistryRecorder recorder = new RegistryRecorder();
				key.addListener(recorder);
				return recorder;
			});
		}
	}

	void add(LeakCheck check) {
		this.running.add(check);
	}

	void remove(LeakCheck check) {
		this.running.remove(check);
	}

	// Tests running in parallel on one context each see the other's resources: a
	// registration on another thread
	// cannot be attributed to one test. Every running check records it.

	@Override
	public void onRegistered(DisposableResource resource) {
		for (LeakCheck check : this.running) {
			check.registered(resource);
		}
	}

	@Override
	public void onDisposed(DisposableResource resource, Duration duration, @Nullable Throwable failure) {
		for (LeakCheck check : this.running) {
			check.disposed(resource);
		}
	}

}
