package dev.disposables.spring;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The {@link DisposableRegistryListener}s of a registry, and how they are called: a
 * listener that throws never changes a disposal or keeps the others from being called.
 */
final class RegistryListeners {

	// The registry's logger: the log lines stay where users configured them.
	private static final Log logger = LogFactory.getLog(DisposableRegistry.class);

	private final List<DisposableRegistryListener> listeners = new CopyOnWriteArrayList<>();

	/** Which listener failed in which callback: each is logged once. */
	private final Set<ListenerFailure> listenerFailures = ConcurrentHashMap.newKeySet();

	void add(DisposableRegistryListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Calls every listener; a listener that throws is logged once per listener and
	 * callback and changes nothing else: the disposal, the completion and the other
	 * listeners go on.
	 * @param callback the callback's name, for the log
	 * @param call calls the callback on one listener
	 */
	void notify(String callback, Consumer<DisposableRegistryListener> call) {
		for (DisposableRegistryListener listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (Throwable ex) {
				if (this.listenerFailures.add(new ListenerFailure(listener, callback))) {
					// The listener's class name only: it is user code, and so may be its
					// toString().
					logger.warn("DisposableRegistryListener " + listener.getClass().getName() + " failed in " + callback
							+ "; later failures of this listener in " + callback + " are not logged", ex);
				}
			}
		}
	}

	/** A listener (by identity) and a callback name. */
	private record ListenerFailure(DisposableRegistryListener listener, String callback) {

		@Override
		public boolean equals(@Nullable Object other) {
			return other instanceof ListenerFailure that && that.listener == this.listener
					&& that.callback.equals(this.callback);
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this.listener) * 31 + this.callback.hashCode();
		}

	}

}
