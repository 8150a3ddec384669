package dev.disposables.spring;

import java.util.concurrent.Flow;

import org.reactivestreams.FlowAdapters;
import org.reactivestreams.Publisher;

/**
 * Reactive Streams adaptation, loaded only when {@code org.reactivestreams} is on the
 * class path (the dependency is optional).
 */
final class ReactiveStreamsSupport {

	private ReactiveStreamsSupport() {
	}

	static boolean isPublisher(Class<?> type) {
		return Publisher.class.isAssignableFrom(type);
	}

	static boolean isPublisherInstance(Object value) {
		return value instanceof Publisher<?>;
	}

	/**
	 * Views a Reactive Streams publisher as a {@link Flow.Publisher}, so that one
	 * subscriber serves both (the specifications are the same; {@link FlowAdapters}
	 * passes signals and cancellation through).
	 * @param publisher the publisher
	 * @return the same publisher as a {@link Flow.Publisher}
	 */
	static Flow.Publisher<?> toFlowPublisher(Object publisher) {
		return FlowAdapters.toFlowPublisher((Publisher<?>) publisher);
	}

}
