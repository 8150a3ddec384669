package dev.disposables.spring;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Adapts what an async destroy method returns ({@link CompletionStage}, {@link Future}, a
 * Reactive Streams or {@link Flow} publisher, or any type Spring's
 * {@code ReactiveAdapterRegistry} adapts, such as RxJava's {@code Completable}, Mutiny's
 * {@code Uni} or a Kotlin {@code Deferred}: the types stock Spring awaits) to one
 * {@link CompletionStage}, so the rest of the engine deals with one type.
 */
final class AsyncResults {

	private static final boolean REACTIVE_STREAMS_PRESENT = ClassUtils.isPresent("org.reactivestreams.Publisher",
			AsyncResults.class.getClassLoader());

	private AsyncResults() {
	}

	/**
	 * Whether a method returning this type is an async destroy method.
	 * @param returnType the declared return type of the method
	 * @return whether a method returning that type is an async destroy method
	 */
	static boolean isAsyncType(Class<?> returnType) {
		return CompletionStage.class.isAssignableFrom(returnType) || Future.class.isAssignableFrom(returnType)
				|| Flow.Publisher.class.isAssignableFrom(returnType)
				|| (REACTIVE_STREAMS_PRESENT && (ReactiveStreamsSupport.isPublisher(returnType)
						|| ReactiveStreamsSupport.isAdaptable(returnType)));
	}

	/**
	 * Waits on the calling thread for what a sync destroy method returned, if it is an
	 * async result (a method declared to return {@code Object}, say): stock Spring awaits
	 * a {@link Future} and whatever its {@code ReactiveAdapterRegistry} adapts, by the
	 * value's class. Interrupted (the disposal was abandoned at its timeout), a
	 * publisher's subscription or the {@code Future} is cancelled.
	 * @param result the returned value, possibly {@code null}
	 * @throws Exception the failure the result completed with, or the interruption
	 */
	static void awaitIfAsync(@Nullable Object result) throws Exception {
		if (result == null || !isAsyncResult(result)) {
			return;
		}
		List<Runnable> cancellers = new CopyOnWriteArrayList<>();
		CompletableFuture<Void> done = toStage(result, Runnable::run, cancellers::add).toCompletableFuture();
		try {
			done.get();
		}
		catch (InterruptedException ex) {
			cancellers.forEach(Runnable::run);
			Thread.currentThread().interrupt();
			throw ex;
		}
		catch (ExecutionException ex) {
			Throwable cause = FailureCollector.unwrap(ex);
			if (cause instanceof Exception exception) {
				throw exception;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	private static boolean isAsyncResult(Object result) {
		return result instanceof CompletionStage<?> || result instanceof Future<?>
				|| result instanceof Flow.Publisher<?>
				|| (REACTIVE_STREAMS_PRESENT && ReactiveStreamsSupport.isAdaptableValue(result));
	}

	/**
	 * Turns a destroy method's result into a stage that completes when the disposal has
	 * finished.
	 * @param result the returned value ({@code null} counts as done, as in Spring)
	 * @param blockingExecutor where a plain {@link Future} is waited for, since it offers
	 * no callback
	 * @param onAbandon receives how to stop waiting if the disposal is abandoned: a
	 * publisher's subscription is cancelled (a never-ending publisher must not keep
	 * emitting after the context closed), a {@code Future} is cancelled with interruption
	 * @return a stage that completes when the disposal has finished
	 */
	static CompletionStage<Void> toStage(@Nullable Object result, Executor blockingExecutor,
			Consumer<Runnable> onAbandon) {
		if (result == null) {
			return CompletableFuture.completedFuture(null);
		}
		if (result instanceof CompletionStage<?> stage) {
			return stage.thenApply((ignored) -> null);
		}
		if (result instanceof Future<?> future) {
			onAbandon.accept(() -> future.cancel(true));
			return CompletableFuture.runAsync(() -> awaitFuture(future), blockingExecutor);
		}
		if (result instanceof Flow.Publisher<?> publisher) {
			return toStage(publisher, onAbandon);
		}
		if (REACTIVE_STREAMS_PRESENT) {
			Flow.Publisher<?> publisher = ReactiveStreamsSupport.toFlowPublisher(result);
			if (publisher != null) {
				return toStage(publisher, onAbandon);
			}
		}
		throw new IllegalStateException("Unsupported async result type " + result.getClass().getName());
	}

	@SuppressWarnings("unchecked")
	private static CompletionStage<Void> toStage(Flow.Publisher<?> publisher, Consumer<Runnable> onAbandon) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		CompletionSubscriber<Object> subscriber = new CompletionSubscriber<>(done);
		onAbandon.accept(subscriber::cancel);
		((Flow.Publisher<Object>) publisher).subscribe(subscriber);
		return done;
	}

	private static void awaitFuture(Future<?> future) {
		try {
			future.get();
		}
		catch (InterruptedException ex) {
			future.cancel(true);
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for an async destroy method's Future", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw (cause instanceof RuntimeException runtime) ? runtime
					: new java.util.concurrent.CompletionException(cause);
		}
	}

	/**
	 * Completes a future when a {@link Flow.Publisher} (or a Reactive Streams publisher
	 * seen through {@code FlowAdapters}) terminates; elements are requested and ignored.
	 * Cancelled when the disposal is abandoned, even if that happens before the
	 * subscription arrives.
	 */
	private static final class CompletionSubscriber<T> implements Flow.Subscriber<T> {

		private final CompletableFuture<Void> done;

		private Flow.@Nullable Subscription subscription; // guarded by this

		private boolean cancelled; // guarded by this

		CompletionSubscriber(CompletableFuture<Void> done) {
			this.done = done;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			synchronized (this) {
				this.subscription = subscription;
				if (this.cancelled) {
					subscription.cancel();
					return;
				}
			}
			subscription.request(Long.MAX_VALUE);
		}

		void cancel() {
			Flow.@Nullable Subscription current;
			synchronized (this) {
				this.cancelled = true;
				current = this.subscription;
			}
			if (current != null) {
				current.cancel();
			}
		}

		@Override
		public void onNext(T item) {
		}

		@Override
		public void onError(Throwable throwable) {
			this.done.completeExceptionally(throwable);
		}

		@Override
		public void onComplete() {
			this.done.complete(null);
		}

	}

}
