package dev.disposables.spring;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import dev.disposables.AsyncDisposable;

/**
 * A test bean that records one event into a list of the test's own when it is closed, so
 * that a test can assert which beans were disposed, how often and in what order.
 * Test-specific behaviour (dependencies, slow or failing disposal, a {@code toString()}
 * that must not be called) stays in the test's own beans. Public for the tests of other
 * packages.
 */
public class RecordingResource implements AutoCloseable {

	private final String event;

	private final List<String> events;

	/**
	 * Create a resource.
	 * @param event what {@link #close()} records
	 * @param events where it records it
	 */
	public RecordingResource(String event, List<String> events) {
		this.event = event;
		this.events = events;
	}

	@Override
	public void close() {
		record(this.event);
	}

	/**
	 * Records an event, for a subclass with more callbacks than {@link #close()}.
	 * @param event the event
	 */
	protected void record(String event) {
		this.events.add(event);
	}

	/**
	 * A request's (or exchange's) resource that records {@code <kind>-<id>}, with the id
	 * set while the request is handled. {@link First}, {@link Second} and {@link Third}
	 * are created in that order, for the disposal-order tests: async, sync, and async
	 * finishing later than the others would start.
	 */
	abstract static class Numbered {

		private final String kind;

		private final List<String> events;

		private volatile int id;

		Numbered(String kind, List<String> events) {
			this.kind = kind;
			this.events = events;
		}

		// a method, not a field: called on a scoped proxy, it reaches the current
		// request's instance
		void setId(int id) {
			this.id = id;
		}

		void record() {
			this.events.add(this.kind + "-" + this.id);
		}

	}

	static class First extends Numbered implements AsyncDisposable {

		First(List<String> events) {
			super("first-async", events);
		}

		@Override
		public CompletionStage<Void> disposeAsync() {
			record();
			return CompletableFuture.completedFuture(null);
		}

	}

	static class Second extends Numbered implements AutoCloseable {

		Second(List<String> events) {
			super("second-sync", events);
		}

		@Override
		public void close() {
			record();
		}

	}

	static class Third extends Numbered implements AsyncDisposable {

		Third(List<String> events) {
			super("third-async", events);
		}

		@Override
		public CompletionStage<Void> disposeAsync() {
			// finishes later than the others would start: they must wait for it
			return CompletableFuture.runAsync(this::record,
					CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
		}

	}

}
