package dev.disposables.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * What one scope instance (a {@link DisposalScope}, an HTTP request) created and must
 * dispose when it ends: managed resources and Spring destruction callbacks, in creation
 * order.
 *
 * <p>
 * {@link #disposeAll} disposes them in reverse order, async-first, each finished (with
 * what it owns) before the next starts; every one is attempted, the first failure
 * completes the result and later ones are suppressed onto it. Once disposal has started,
 * {@link #add} refuses new entries: the caller disposes them itself.
 */
final class OwnedResources {

	private final List<Object> entries = new ArrayList<>();

	private @Nullable CompletableFuture<Void> disposal;

	/**
	 * Adds a resource or a destruction callback.
	 * @param entry a {@link ManagedResource} or a {@link Runnable}
	 * @return {@code false} if disposal has already started
	 */
	synchronized boolean add(Object entry) {
		if (this.disposal != null) {
			return false;
		}
		if (entry instanceof ManagedResource resource) {
			resource.setContainerHeld();
		}
		this.entries.add(entry);
		return true;
	}

	synchronized boolean isClosed() {
		return this.disposal != null;
	}

	synchronized int size() {
		return this.entries.size();
	}

	/**
	 * Whether {@code disposeAll(registry, true)} would run no user code on the calling
	 * thread: every entry is a resource with sync callbacks, which the disposal executor
	 * runs (and whose owned resources are disposed from there). Async disposals and
	 * destruction callbacks would start on the caller.
	 * @return {@code true} if every entry is a disposable resource with sync callbacks
	 */
	synchronized boolean onlyExecutorWork() {
		for (Object entry : this.entries) {
			if (!(entry instanceof ManagedResource resource) || resource.kind() != ResourceKind.DISPOSABLE
					|| resource.plan().mode() != DisposalMode.SYNC) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Disposes everything, once; later calls return the same stage.
	 * @param registry the registry that runs the disposals
	 * @param syncOnExecutor whether disposals run on the disposal threads with the
	 * per-resource timeout (off a request thread, at shutdown) or on the calling thread
	 * (a scope closed by its caller: no thread hop per resource) until an entry has to be
	 * waited for; from then on the rest run on the disposal threads, never on the thread
	 * that completed the entry (a user's event loop, the JDK's timeout scheduler)
	 * @return a stage that completes when every entry has been disposed
	 */
	CompletableFuture<Void> disposeAll(DisposableRegistry registry, boolean syncOnExecutor) {
		List<Object> snapshot;
		CompletableFuture<Void> result;
		synchronized (this) {
			if (this.disposal != null) {
				return this.disposal;
			}
			result = new CompletableFuture<>();
			this.disposal = result;
			snapshot = new ArrayList<>(this.entries);
			this.entries.clear();
		}
		new Sequence(snapshot, registry, syncOnExecutor, result).next();
		return result;
	}

	/**
	 * Walks the entries from the last to the first. A loop rather than recursion, so that
	 * thousands of entries whose disposals complete synchronously do not grow the stack.
	 */
	private static final class Sequence {

		private final List<Object> entries;

		private final DisposableRegistry registry;

		private final CompletableFuture<Void> result;

		private int index;

		private @Nullable Throwable failure;

		/**
		 * Whether the entries may still run on the caller's thread: until the first one
		 * that must be awaited.
		 */
		private boolean onCaller;

		Sequence(List<Object> entries, DisposableRegistry registry, boolean syncOnExecutor,
				CompletableFuture<Void> result) {
			this.entries = entries;
			this.registry = registry;
			this.onCaller = !syncOnExecutor;
			this.result = result;
			this.index = entries.size();
		}

		void next() {
			while (this.index > 0) {
				Object entry = this.entries.get(--this.index);
				this.entries.set(this.index, null); // let it go as soon as it is disposed
				CompletableFuture<Void> stage = disposeOne(entry);
				if (!stage.isDone()) {
					this.onCaller = false;
					stage.whenCompleteAsync((ignored, ex) -> {
						record(ex);
						next();
					}, this.registry.launcher());
					return;
				}
				record(stage.isCompletedExceptionally() ? failureOf(stage) : null);
			}
			Throwable first = this.failure;
			if (first != null) {
				this.result.completeExceptionally(first);
			}
			else {
				this.result.complete(null);
			}
		}

		private CompletableFuture<Void> disposeOne(Object entry) {
			try {
				if (entry instanceof ManagedResource resource) {
					// What the resource owns is disposed right after it: wait for that
					// too before the next entry.
					List<ManagedResource> owned = resource.ownedSnapshot();
					CompletableFuture<Void> own = this.registry.dispose(resource, !this.onCaller);
					if (owned.isEmpty()) {
						return own;
					}
					return own.handle((ignored, ex) -> ex).thenCompose((ownFailure) -> {
						CompletableFuture<?>[] children = owned.stream()
							.map((child) -> child.completion().handle((ignored, ex) -> null))
							.toArray(CompletableFuture<?>[]::new);
						return CompletableFuture.allOf(children)
							.thenCompose((ignored) -> (ownFailure != null) ? CompletableFuture.failedFuture(ownFailure)
									: CompletableFuture.completedFuture(null));
					});
				}
				((Runnable) entry).run();
				return CompletableFuture.completedFuture(null);
			}
			catch (Throwable ex) {
				return CompletableFuture.failedFuture(ex);
			}
		}

		private void record(@Nullable Throwable ex) {
			if (ex == null) {
				return;
			}
			Throwable cause = FailureCollector.unwrap(ex);
			if (this.failure == null) {
				this.failure = cause;
			}
			else if (this.failure != cause) {
				this.failure.addSuppressed(cause);
			}
		}

		private static @Nullable Throwable failureOf(CompletionStage<Void> stage) {
			try {
				stage.toCompletableFuture().join();
				return null;
			}
			catch (Throwable ex) {
				return ex;
			}
		}

	}

}
