package dev.disposables.spring;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The resources one web request created in a Spring scope (the request scope) and must
 * dispose when the request has really completed: the seam between the engine and the
 * servlet integration, as {@link DisposalAdapter} is for library adapters. A filter
 * creates one per request, says once through {@link #collect} how to find the current
 * request's, and disposes it with {@link #disposeOffThread()} when the request is over.
 *
 * <p>
 * <strong>Internal</strong>: public for the starter's web integrations
 * ({@code dev.disposables.spring.web.*}); not part of the public API (see "Public API" in
 * docs/core-api.md), it may change without notice.
 */
public final class RequestResources {

	private final DisposableRegistry registry;

	private final OwnedResources resources = new OwnedResources();

	/**
	 * Create the (empty) resources of one request.
	 * @param tracker the tracker that collects the scope's resources into them
	 */
	public RequestResources(ScopedResourceTracker tracker) {
		this.registry = tracker.registry();
	}

	/**
	 * Makes the instances of a scope that the tracker registers collect into the current
	 * request's resources rather than being disposed by Spring's callback one by one.
	 * @param tracker the tracker
	 * @param scope the scope name (the request scope)
	 * @param current the resources of the request bound to the current thread, or
	 * {@code null} where no filter handles it
	 */
	public static void collect(ScopedResourceTracker tracker, String scope,
			Supplier<@Nullable RequestResources> current) {
		tracker.registerContainer(scope, () -> {
			RequestResources resources = current.get();
			return (resources != null) ? resources.resources : null;
		});
	}

	/**
	 * Disposes the resources, in reverse creation order and async-first, without running
	 * user code on the calling thread (the request thread): sync disposals run on the
	 * disposal executor, async ones are started from there. A request that created
	 * nothing disposable is closed right here, without a thread hop. Disposes once: later
	 * calls return a completed stage.
	 * @return a stage that completes when the resources have been disposed (failures are
	 * logged by the registry with the bean's name)
	 */
	public CompletableFuture<Void> disposeOffThread() {
		if (this.resources.isClosed()) {
			return CompletableFuture.completedFuture(null);
		}
		if (this.resources.size() == 0) {
			// Most requests create no request-scoped disposable.
			return this.resources.disposeAll(this.registry, true);
		}
		return CompletableFuture
			.supplyAsync(() -> this.resources.disposeAll(this.registry, true), this.registry.launcher())
			.thenCompose((stage) -> stage);
	}

}
