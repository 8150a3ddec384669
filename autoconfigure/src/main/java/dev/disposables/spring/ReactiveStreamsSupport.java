package dev.disposables.spring;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
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

	/**
	 * Subscribes and completes when the publisher terminates; elements are requested and ignored.
	 * @param publisher the publisher
	 * @param onAbandon receives how to cancel the subscription when the disposal is abandoned at its timeout, so
	 * that a never-ending publisher stops emitting
	 */
	static CompletionStage<Void> toStage(Object publisher, Consumer<Runnable> onAbandon) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		CompletionSubscriber subscriber = new CompletionSubscriber(done);
		onAbandon.accept(subscriber::cancel);
		((Publisher<?>) publisher).subscribe(subscriber);
		return done;
	}

	private static final class CompletionSubscriber implements Subscriber<Object> {

		private final CompletableFuture<Void> done;

		private @Nullable Subscription subscription; // guarded by this

		private boolean cancelled; // guarded by this

		CompletionSubscriber(CompletableFuture<Void> done) {
			this.done = done;
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			synchronized (this) {
				this.subscription = subscription;
				if (this.cancelled) {
					subscription.cancel();
					return;
				}
			}
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(Object item) {
		}

		@Override
		public void onError(Throwable throwable) {
			this.done.completeExceptionally(throwable);
		}

		@Override
		public void onComplete() {
			this.done.complete(null);
		}

		/** Cancels the subscription, or the one still to come. */
		void cancel() {
			Subscription current;
			synchronized (this) {
				this.cancelled = true;
				current = this.subscription;
			}
			if (current != null) {
				current.cancel();
			}
		}

	}

}
