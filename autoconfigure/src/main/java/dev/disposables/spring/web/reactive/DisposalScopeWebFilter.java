package dev.disposables.spring.web.reactive;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.disposables.spring.DetachedDisposalScopes;
import dev.disposables.spring.DisposalScope;
import dev.disposables.spring.DisposalScopes;
import dev.disposables.spring.InFlightDisposals;
import dev.disposables.spring.ReactiveDisposalScopes;
import dev.disposables.spring.ShutdownParticipant;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Gives each WebFlux server exchange its own {@link DisposalScope} — WebFlux has no
 * request scope — and disposes it when the exchange is over: the rest of the filter chain
 * (handler, response body) has completed, failed, or been cancelled because the client
 * went away. A streamed body (server-sent events, a long download) keeps the scope open
 * until its last element has been written.
 *
 * <p>
 * The scope is
 * <ul>
 * <li>in the Reactor {@code Context} of the exchange's pipeline under
 * {@link ReactiveDisposalScopes#CONTEXT_KEY}
 * ({@link ReactiveDisposalScopes#current()});</li>
 * <li>the exchange attribute {@link #SCOPE_ATTRIBUTE}
 * ({@link #getScope(ServerWebExchange)}), and a {@code DisposalScope} parameter of a
 * handler method;</li>
 * <li>current for thread-local readers — {@code @DisposalScoped} beans, prototypes
 * resolved during the exchange, {@link DisposalScopes#current()} — when Reactor's
 * automatic context propagation is on ({@code spring.reactor.context-propagation=auto});
 * {@link DisposalScope#getBean} works without it.</li>
 * </ul>
 *
 * <p>
 * What the scope owns is disposed in reverse creation order, async-first, after the
 * response and off the event loop: sync disposals run on the disposal executor, so a slow
 * {@code close()} neither delays the response nor blocks a Netty thread. Disposals in
 * flight are awaited at shutdown. Exception handlers that run outside the filter chain
 * ({@code WebExceptionHandler}s such as Boot's error handler) run after the scope's
 * disposal has started; {@code @ExceptionHandler} methods run inside it.
 *
 * <p>
 * <strong>Internal</strong>: created by the auto-configuration, public only so that it
 * can be; not part of the public API (see "Public API" in docs/core-api.md), it may
 * change without notice. Handlers reach the exchange's scope through
 * {@link ReactiveDisposalScopes#current()} or a {@code DisposalScope} handler-method
 * parameter.
 */
public class DisposalScopeWebFilter implements WebFilter, Ordered, ShutdownParticipant {

	/** The exchange attribute that holds the exchange's {@link DisposalScope}. */
	public static final String SCOPE_ATTRIBUTE = DisposalScopeWebFilter.class.getName() + ".scope";

	/**
	 * The default order: early, so that the scope is open for every other filter
	 * (security filters resolving beans, for example) and disposed only after they are
	 * done.
	 */
	public static final int DEFAULT_ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

	private static final String ON_DEMAND_ATTRIBUTE = DisposalScopeWebFilter.class.getName() + ".onDemand";

	private static final Log logger = LogFactory.getLog(DisposalScopeWebFilter.class);

	private final DetachedDisposalScopes scopes;

	private final InFlightDisposals inFlight = new InFlightDisposals();

	private int order = DEFAULT_ORDER;

	private boolean onDemand;

	/**
	 * Create the filter.
	 * @param scopes the scopes of the application context whose beans the exchanges use
	 */
	public DisposalScopeWebFilter(DisposalScopes scopes) {
		this.scopes = new DetachedDisposalScopes(scopes);
	}

	/**
	 * The scope of an exchange.
	 * @param exchange the exchange
	 * @return its scope, or {@code null} if the filter did not handle it
	 */
	public static @Nullable DisposalScope getScope(ServerWebExchange exchange) {
		DisposalScope scope = exchange.getAttribute(SCOPE_ATTRIBUTE);
		if (scope == null) {
			OnDemandScope onDemand = exchange.getAttribute(ON_DEMAND_ATTRIBUTE);
			if (onDemand != null) {
				scope = onDemand.open();
			}
		}
		return scope;
	}

	/**
	 * Opens an exchange's scope only when something asks for it (a {@code DisposalScope}
	 * handler parameter): no scope in the Reactor {@code Context}, nothing opened for the
	 * other exchanges. What {@code disposables.webflux.enabled=false} leaves: a handler
	 * that asks for the scope still gets one, disposed when its exchange is over.
	 * @param onDemand whether scopes are opened on demand only
	 */
	public void setOnDemand(boolean onDemand) {
		this.onDemand = onDemand;
	}

	/**
	 * Whether scopes are opened on demand only.
	 * @return {@code true} if an exchange gets a scope only when something asks for it
	 */
	public boolean isOnDemand() {
		return this.onDemand;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		// Deferred: the scope is opened per subscription, and a filter that throws
		// instead of returning an error still ends in doFinally.
		if (this.onDemand) {
			return Mono.defer(() -> {
				OnDemandScope scope = new OnDemandScope(this.scopes);
				exchange.getAttributes().put(ON_DEMAND_ATTRIBUTE, scope);
				return Mono.defer(() -> chain.filter(exchange)).doFinally((signal) -> scope.end(this));
			});
		}
		return Mono.defer(() -> {
			DisposalScope scope = this.scopes.open();
			exchange.getAttributes().put(SCOPE_ATTRIBUTE, scope);
			// doFinally sees whichever comes first: the response written (complete), a
			// failure (error), the client gone (cancel, possibly right after a complete
			// response). Each means nothing more will be written, and each is seen
			// exactly once. The response is not held back: disposal runs after the signal
			// has been passed on.
			return Mono.defer(() -> chain.filter(exchange))
				.contextWrite((context) -> context.put(ReactiveDisposalScopes.CONTEXT_KEY, scope))
				.doFinally((signal) -> end(scope));
		});
	}

	private void end(DisposalScope scope) {
		CompletableFuture<Void> disposal = this.inFlight.track(this.scopes.disposeOffThread(scope));
		if (disposal.isDone()) {
			return;
		}
		disposal.whenComplete((ignored, failure) -> {
			if (failure != null && logger.isDebugEnabled()) {
				logger.debug("Disposal of the exchange's " + scope + " failed", failure);
			}
		});
	}

	/**
	 * Awaits the exchange disposals still in flight. (Scopes of exchanges that have not
	 * ended yet are disposed at shutdown with the other open scopes, by
	 * {@link DisposalScopes}.)
	 */
	@Override
	public CompletionStage<Void> disposeForShutdown() {
		return this.inFlight.awaitAll();
	}

	/**
	 * How many exchange disposals are in flight.
	 * @return the count
	 */
	public int inFlightCount() {
		return this.inFlight.count();
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	/**
	 * Sets the order of this filter among the application's {@code WebFilter}s.
	 * @param order the order; {@link #DEFAULT_ORDER} by default
	 */
	public void setOrder(int order) {
		this.order = order;
	}

	/** The scope of one exchange, opened by the first that asks; ended once. */
	private static final class OnDemandScope {

		private final DetachedDisposalScopes scopes;

		private @Nullable DisposalScope scope; // guarded by this

		private boolean ended; // guarded by this

		OnDemandScope(DetachedDisposalScopes scopes) {
			this.scopes = scopes;
		}

		synchronized DisposalScope open() {
			if (this.scope == null) {
				this.scope = this.scopes.open();
				if (this.ended) {
					// asked for after the exchange: nothing will end it later
					this.scope.disposeAsync();
				}
			}
			return this.scope;
		}

		void end(DisposalScopeWebFilter filter) {
			DisposalScope opened;
			synchronized (this) {
				this.ended = true;
				opened = this.scope;
			}
			if (opened != null) {
				filter.end(opened);
			}
		}

	}

}
