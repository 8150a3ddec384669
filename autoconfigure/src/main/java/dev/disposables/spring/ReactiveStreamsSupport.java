package dev.disposables.spring;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Reactive Streams adaptation, loaded only when {@code org.reactivestreams} is on the class path (the dependency is
 * optional).
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

	static CompletionStage<Void> toStage(Object publisher) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		((Publisher<?>) publisher).subscribe(new Subscriber<Object>() {

			@Override
			public void onSubscribe(Subscription subscription) {
				subscription.request(Long.MAX_VALUE);
			}

			@Override
			public void onNext(Object item) {
			}

			@Override
			public void onError(Throwable throwable) {
				done.completeExceptionally(throwable);
			}

			@Override
			public void onComplete() {
				done.complete(null);
			}

		});
		return done;
	}

}
