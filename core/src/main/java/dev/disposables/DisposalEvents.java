package dev.disposables;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Tells interested parties that an object's disposal has started, whoever started it: its
 * own {@code close()} or {@code disposeAsync()}, a try-with-resources, a
 * {@link DisposableStack} or {@link AsyncDisposableStack}. A container that tracks
 * objects it did not create (the Spring starter's registry) listens, so that an object
 * its user has disposed is neither disposed again nor reported as a leak.
 *
 * <p>
 * {@link DisposableBase} and the stacks announce their disposals themselves. A class of
 * your own can announce its disposal by calling {@link #disposed(Object)} from its
 * {@code close()} and marking itself with {@link ReportsDisposal}, so that a collected
 * instance that never announced it is known to have leaked.
 *
 * <p>
 * With no listener, an announcement costs one read of an empty list.
 *
 * @since 0.1.0
 */
public final class DisposalEvents {

	private static final List<Consumer<Object>> listeners = new CopyOnWriteArrayList<>();

	private DisposalEvents() {
	}

	/**
	 * Announces that the disposal of an object has started. A listener that throws is
	 * ignored: announcing never fails the disposal.
	 * @param instance the object being disposed
	 */
	public static void disposed(Object instance) {
		for (Consumer<Object> listener : listeners) {
			try {
				listener.accept(instance);
			}
			catch (RuntimeException | LinkageError ex) {
				// A listener's failure must never fail the user's close().
			}
		}
	}

	/**
	 * Adds a listener, called on the thread that disposes the object, at the start of its
	 * disposal. It must be fast and thread-safe, and must not keep the object.
	 * @param listener the listener
	 * @return closes the subscription
	 */
	public static Subscription subscribe(Consumer<Object> listener) {
		Objects.requireNonNull(listener, "listener");
		listeners.add(listener);
		return () -> listeners.remove(listener);
	}

	/**
	 * A listener's subscription; closing it removes the listener.
	 *
	 * @since 0.1.0
	 */
	@FunctionalInterface
	public interface Subscription extends AutoCloseable {

		/** Removes the listener. */
		@Override
		void close();

	}

}
