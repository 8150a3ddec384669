package dev.disposables.spring.web.servlet;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

import dev.disposables.spring.InFlightDisposals;
import dev.disposables.spring.RequestResources;
import dev.disposables.spring.ScopedResourceTracker;
import dev.disposables.spring.ShutdownParticipant;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.async.CallableProcessingInterceptor;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.DeferredResultProcessingInterceptor;
import org.springframework.web.context.request.async.WebAsyncManager;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Disposes the request-scoped beans of a request when the request has really completed —
 * for an async request ({@code DeferredResult}, {@code Callable},
 * {@code CompletableFuture}, emitters) when async processing ends, not when the first
 * dispatch exits — in reverse creation order, async-first, and without holding the
 * request thread: the disposals run after the filter has returned, sync ones on the
 * disposal executor.
 *
 * <p>
 * Spring's own destruction callbacks for those beans (run by {@code RequestContextFilter}
 * when a dispatch exits) then do nothing. Register it ahead of Spring's
 * {@code RequestContextFilter}; the auto-configuration does. Disposals still in flight
 * are awaited at shutdown.
 *
 * <p>
 * <strong>Internal</strong>: created by the auto-configuration, public only so that it
 * can be; not part of the public API (see "Public API" in docs/core-api.md), it may
 * change without notice.
 */
public class RequestScopeDisposalFilter extends OncePerRequestFilter implements ShutdownParticipant {

	/** The request attribute holding the request's {@link RequestResources}. */
	static final String RESOURCES_ATTRIBUTE = RequestScopeDisposalFilter.class.getName() + ".resources";

	private static final Object INTERCEPTOR_KEY = RequestScopeDisposalFilter.class.getName();

	private final ScopedResourceTracker tracker;

	private final InFlightDisposals inFlight = new InFlightDisposals();

	/**
	 * Create the filter.
	 * @param tracker the tracker that collects request-scoped resources into the current
	 * request
	 */
	public RequestScopeDisposalFilter(ScopedResourceTracker tracker) {
		this.tracker = tracker;
		RequestResources.collect(tracker, RequestAttributes.REFERENCE_REQUEST,
				RequestScopeDisposalFilter::currentResources);
	}

	/**
	 * The resources of the request bound to the current thread, if this filter handles
	 * it.
	 * @return the resources of the current request, or {@code null}
	 */
	static @Nullable RequestResources currentResources() {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		if (attributes == null) {
			return null;
		}
		Object resources = attributes.getAttribute(RESOURCES_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
		return (resources instanceof RequestResources owned) ? owned : null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		RequestResources resources = new RequestResources(this.tracker);
		request.setAttribute(RESOURCES_ATTRIBUTE, resources);
		AsyncCompletion completion = new AsyncCompletion(resources);
		WebAsyncManager asyncManager = WebAsyncUtils.getAsyncManager(request);
		asyncManager.registerCallableInterceptor(INTERCEPTOR_KEY, completion);
		asyncManager.registerDeferredResultInterceptor(INTERCEPTOR_KEY, completion);
		try {
			chain.doFilter(request, response);
		}
		finally {
			if (completion.concurrentHandlingStarted
					&& (asyncManager.isConcurrentHandlingStarted() || asyncManager.hasConcurrentResult())) {
				// Spring MVC async: disposed in afterCompletion, when the async request
				// has completed.
			}
			else if (request.isAsyncStarted()) {
				// Async started outside Spring MVC's WebAsyncManager
				// (OncePerRequestFilter#isAsyncStarted only knows about the latter, so
				// the servlet request is asked).
				request.getAsyncContext().addListener(completion);
			}
			else {
				// Also when another interceptor threw in beforeConcurrentHandling after
				// ours ran: async processing never started, so no afterCompletion will
				// come.
				disposeLater(resources);
			}
		}
	}

	/**
	 * Disposes a request's resources on the disposal threads.
	 * @param resources the resources of the request
	 */
	void disposeLater(RequestResources resources) {
		this.inFlight.track(resources.disposeOffThread());
	}

	/**
	 * Awaits the request disposals still in flight.
	 */
	@Override
	public CompletionStage<Void> disposeForShutdown() {
		return this.inFlight.awaitAll();
	}

	/**
	 * The request disposals in flight dispose resources of the registry only: the
	 * shutdown orders the beans they use against them one by one.
	 * @return {@code true}
	 */
	@Override
	public boolean ordersByResource() {
		return true;
	}

	/**
	 * Learns that Spring MVC started async processing, and disposes when it completes.
	 */
	private final class AsyncCompletion
			implements CallableProcessingInterceptor, DeferredResultProcessingInterceptor, AsyncListener {

		private final RequestResources resources;

		private volatile boolean concurrentHandlingStarted;

		AsyncCompletion(RequestResources resources) {
			this.resources = resources;
		}

		@Override
		public <T> void beforeConcurrentHandling(NativeWebRequest request, Callable<T> task) {
			this.concurrentHandlingStarted = true;
		}

		@Override
		public <T> void beforeConcurrentHandling(NativeWebRequest request, DeferredResult<T> deferredResult) {
			this.concurrentHandlingStarted = true;
		}

		@Override
		public <T> void afterCompletion(NativeWebRequest request, Callable<T> task) {
			disposeLater(this.resources);
		}

		@Override
		public <T> void afterCompletion(NativeWebRequest request, DeferredResult<T> deferredResult) {
			disposeLater(this.resources);
		}

		@Override
		public void onComplete(AsyncEvent event) {
			disposeLater(this.resources);
		}

		@Override
		public void onTimeout(AsyncEvent event) {
		}

		@Override
		public void onError(AsyncEvent event) {
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
		}

	}

}
