package dev.disposables.spring;

import java.util.concurrent.Flow;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.Publisher;

import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;

/**
 * Reactive Streams adaptation, loaded only when {@code org.reactivestreams} is on the
 * class path (the dependency is optional). Besides publishers it adapts every type
 * Spring's shared {@link ReactiveAdapterRegistry} knows (RxJava, Mutiny, Kotlin
 * coroutines, whichever are present), as Spring's own destruction does for the value a
 * destroy method returns.
 */
final class ReactiveStreamsSupport {

	private ReactiveStreamsSupport() {
	}

	static boolean isPublisher(Class<?> type) {
		return Publisher.class.isAssignableFrom(type);
	}

	/**
	 * Whether Spring's shared {@link ReactiveAdapterRegistry} adapts the type.
	 * @param type the declared return type of a method
	 * @return whether a value of that type can be subscribed to and awaited
	 */
	static boolean isAdaptable(Class<?> type) {
		return ReactiveAdapterRegistry.getSharedInstance().getAdapter(type) != null;
	}

	/**
	 * Whether a value is a publisher or Spring's shared {@link ReactiveAdapterRegistry}
	 * adapts its class.
	 * @param value a value a destroy method returned
	 * @return whether it can be subscribed to and awaited
	 */
	static boolean isAdaptableValue(Object value) {
		return value instanceof Publisher<?> || isAdaptable(value.getClass());
	}

	/**
	 * Views a Reactive Streams publisher, or a value of any type Spring's shared
	 * {@link ReactiveAdapterRegistry} adapts, as a {@link Flow.Publisher}, so that one
	 * subscriber serves all (the specifications are the same; {@link FlowAdapters} passes
	 * signals and cancellation through).
	 * @param value the value a destroy method returned
	 * @return the same value as a {@link Flow.Publisher}, or {@code null} if it is
	 * neither a publisher nor adaptable
	 */
	static Flow.@Nullable Publisher<?> toFlowPublisher(Object value) {
		if (value instanceof Publisher<?> publisher) {
			return FlowAdapters.toFlowPublisher(publisher);
		}
		// By the value's class, as Spring's DisposableBeanAdapter looks it up.
		ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(value.getClass());
		return (adapter != null) ? FlowAdapters.toFlowPublisher(adapter.toPublisher(value)) : null;
	}

}
