package dev.disposables;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Records disposal events in order, and makes members that record themselves. */
final class Recorder {

	private final List<String> events = new ArrayList<>();

	synchronized void add(String event) {
		this.events.add(event);
	}

	synchronized List<String> events() {
		return List.copyOf(this.events);
	}

	/**
	 * A synchronous AutoCloseable: logs "close:name", then throws {@code failure} if
	 * given.
	 */
	AutoCloseable sync(String name, Exception failure) {
		return () -> {
			add("close:" + name);
			if (failure != null) {
				throw failure;
			}
		};
	}

	/**
	 * An AsyncDisposable whose disposal logs "start:name", completes after
	 * {@code delayMillis} on another thread (simulated work), logging "end:name" just
	 * before it completes. Its close() logs "close:name" so tests can prove it was never
	 * called.
	 */
	Async async(String name, long delayMillis, Exception failure) {
		return new Async(this, name, delayMillis, failure);
	}

	/**
	 * What {@link Recorder#async} creates.
	 *
	 * @param recorder where events go
	 * @param name the name in events
	 * @param delayMillis how long the disposal takes
	 * @param failure what the disposal fails with, or {@code null}
	 */
	record Async(Recorder recorder, String name, long delayMillis, Exception failure) implements AsyncDisposable {

		@Override
		public CompletionStage<Void> disposeAsync() {
			this.recorder.add("start:" + this.name);
			CompletableFuture<Void> done = new CompletableFuture<>();
			CompletableFuture.delayedExecutor(this.delayMillis, TimeUnit.MILLISECONDS).execute(() -> {
				this.recorder.add("end:" + this.name);
				if (this.failure == null) {
					done.complete(null);
				}
				else {
					done.completeExceptionally(this.failure);
				}
			});
			return done;
		}

		@Override
		public void close() {
			this.recorder.add("close:" + this.name);
		}

	}

}
