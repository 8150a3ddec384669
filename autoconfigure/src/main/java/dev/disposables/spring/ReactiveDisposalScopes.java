package dev.disposables.spring;

import java.util.Optional;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * {@link DisposalScope}s for Reactor pipelines: a {@code Mono} or {@code Flux} runs
 * inside a fresh scope that is disposed when it terminates or is cancelled
 * ({@code usingWhen} semantics) — a reactive Kafka or RSocket handler, a scheduled
 * reactive job, any work outside a web exchange. (In a WebFlux application each server
 * exchange already has a scope of its own: see {@code DisposalScopeWebFilter}.) Only
 * loaded when Reactor is on the class path.
 *
 * <pre class="code">
 * Mono&lt;Receipt&gt; handled = reactiveScopes.mono((scope) -&gt; scope.getBean(Exporter.class).export(batch));
 * Flux&lt;Row&gt; rows = reactiveScopes.flux((scope) -&gt; scope.getBean(Cursor.class).rows());
 * </pre>
 *
 * <p>
 * The scope is in the Reactor {@code Context} of the work under {@link #CONTEXT_KEY},
 * read it with {@link #current()}. It is current on the calling thread while the function
 * runs (assembly) and, with Reactor's automatic context propagation on
 * ({@code spring.reactor.context-propagation=auto} or
 * {@code Hooks.enableAutomaticContextPropagation()}), on every thread the work continues
 * on, so that {@code @DisposalScoped} beans and prototypes resolved there belong to it.
 *
 * <p>
 * What the scope owns is disposed in reverse creation order, async-first; sync disposals
 * never run on the thread that terminated the work (it may be an event loop) but on the
 * disposal executor. On completion and error the returned publisher terminates only once
 * the scope has been disposed — on the thread that finished the last disposal when there
 * was anything to dispose; add {@code publishOn} if what follows must run on a particular
 * scheduler. As with {@code Disposal.using}, a disposal failure fails a completed
 * publisher (with that failure itself) and is suppressed onto the error of a failed one.
 * On cancellation the disposal runs on its own; the shutdown waits for it.
 */
public class ReactiveDisposalScopes {

	/**
	 * The key of the current scope in a Reactor {@code Context}: the key of
	 * {@link DisposalScopeThreadLocalAccessor}, so that automatic context propagation
	 * restores it as the thread's current scope.
	 */
	public static final String CONTEXT_KEY = DisposalScopeThreadLocalAccessor.KEY;

	private final DisposalScopes scopes;

	/**
	 * Create the helper.
	 * @param scopes the scopes of the application context whose beans the work uses
	 */
	public ReactiveDisposalScopes(DisposalScopes scopes) {
		this.scopes = scopes;
	}

	/**
	 * Runs a {@code Mono} inside a fresh scope, disposed when the {@code Mono} completes,
	 * fails or is cancelled. Nothing happens until subscription; each subscription gets
	 * its own scope.
	 * @param <T> the value type
	 * @param work the work, given the scope; called at subscription
	 * @return a {@code Mono} with the work's outcome that terminates once the scope has
	 * been disposed
	 */
	public <T> Mono<T> mono(Function<? super DisposalScope, ? extends Mono<? extends T>> work) {
		return Mono
			.deferContextual((context) -> Mono.usingWhen(open(context),
					(scope) -> Mono.<T>from(assemble(scope, work)).contextWrite(with(scope)),
					ReactiveDisposalScopes::disposeOnComplete, ReactiveDisposalScopes::disposeOnError,
					ReactiveDisposalScopes::disposeOnCancel))
			.onErrorMap(DisposalFailure::isWrapped, DisposalFailure::unwrap);
	}

	/**
	 * Runs a {@code Flux} (any {@code Publisher}) inside a fresh scope, disposed when it
	 * completes, fails or is cancelled — after its last element, never while elements are
	 * still being emitted. Nothing happens until subscription; each subscription gets its
	 * own scope.
	 * @param <T> the element type
	 * @param work the work, given the scope; called at subscription
	 * @return a {@code Flux} with the work's elements that terminates once the scope has
	 * been disposed
	 */
	public <T> Flux<T> flux(Function<? super DisposalScope, ? extends Publisher<? extends T>> work) {
		return Flux
			.deferContextual((context) -> Flux.usingWhen(open(context),
					(scope) -> Flux.<T>from(assemble(scope, work)).contextWrite(with(scope)),
					ReactiveDisposalScopes::disposeOnComplete, ReactiveDisposalScopes::disposeOnError,
					ReactiveDisposalScopes::disposeOnCancel))
			.onErrorMap(DisposalFailure::isWrapped, DisposalFailure::unwrap);
	}

	/**
	 * The scope in the Reactor {@code Context} of the subscriber: the exchange's scope in
	 * a WebFlux handler, the scope of {@link #mono} or {@link #flux} inside their work.
	 * @return a {@code Mono} of the scope, empty if there is none or it has been disposed
	 */
	public static Mono<DisposalScope> current() {
		return Mono.deferContextual((context) -> Mono.justOrEmpty(current(context)));
	}

	/**
	 * The scope in a Reactor {@code Context}.
	 * @param context the context, for example from {@code Mono.deferContextual}
	 * @return the scope, empty if there is none or it has been disposed
	 */
	public static Optional<DisposalScope> current(ContextView context) {
		Object scope = context.getOrDefault(CONTEXT_KEY, null);
		if (scope instanceof DisposalScope current && !current.isDisposed()) {
			return Optional.of(current);
		}
		return Optional.empty();
	}

	/**
	 * A {@code contextWrite} function that makes a scope current for the pipeline above
	 * it.
	 * @param scope the scope
	 * @return the function
	 */
	static Function<Context, Context> with(DisposalScope scope) {
		return (context) -> context.put(CONTEXT_KEY, scope);
	}

	/**
	 * Disposes a scope off the calling thread (see
	 * {@link DefaultDisposalScope#disposeOffThread()}).
	 * @param scope the scope to dispose
	 * @return a {@code Mono} that completes when the scope has been disposed
	 */
	static Mono<Void> dispose(DisposalScope scope) {
		return Mono.fromCompletionStage(() -> ((DefaultDisposalScope) scope).disposeOffThread());
	}

	/**
	 * After completion a disposal failure fails the publisher. {@code usingWhen} wraps it
	 * in an exception of its own; it is marked here so that
	 * {@link DisposalFailure#unwrap} can hand the original on, as {@code Disposal.using}
	 * does.
	 * @param scope the scope to dispose
	 * @return a {@code Mono} that completes when the scope has been disposed, failing
	 * with a marked disposal failure
	 */
	private static Mono<Void> disposeOnComplete(DisposalScope scope) {
		return dispose(scope).onErrorMap(DisposalFailure::new);
	}

	/**
	 * After a failure the work's failure stays primary and a disposal failure is
	 * suppressed onto it (rather than {@code usingWhen}'s default of replacing it).
	 * @param scope the scope to dispose
	 * @param failure the failure of the work
	 * @return a {@code Mono} that completes when the scope has been disposed
	 */
	private static Mono<Void> disposeOnError(DisposalScope scope, Throwable failure) {
		return dispose(scope).onErrorResume((disposalFailure) -> {
			if (disposalFailure != failure) {
				failure.addSuppressed(disposalFailure);
			}
			return Mono.empty();
		});
	}

	/**
	 * Nobody is left to tell after a cancellation; each failed resource has been logged
	 * with its bean name.
	 * @param scope the scope to dispose
	 * @return a {@code Mono} that completes when the scope has been disposed
	 */
	private static Mono<Void> disposeOnCancel(DisposalScope scope) {
		return dispose(scope).onErrorResume((disposalFailure) -> Mono.empty());
	}

	private Mono<DisposalScope> open(ContextView context) {
		// Nested in the scope of the enclosing pipeline if there is one, else in the
		// thread's current scope.
		@Nullable DefaultDisposalScope parent = current(context).filter(DefaultDisposalScope.class::isInstance)
			.map(DefaultDisposalScope.class::cast)
			.orElseGet(() -> CurrentDisposalScope.get(this.scopes.registry()));
		return Mono.fromSupplier(() -> this.scopes.openDetached(parent));
	}

	/**
	 * Calls the work with the scope current, so that what it resolves while assembling
	 * belongs to the scope.
	 * @param <P> the type of the publisher
	 * @param scope the scope to make current
	 * @param work assembles the publisher
	 * @return the publisher the work returns
	 */
	private static <P> P assemble(DisposalScope scope, Function<? super DisposalScope, ? extends P> work) {
		return CurrentDisposalScope.with((DefaultDisposalScope) scope, () -> work.apply(scope));
	}

	/** Marks a disposal failure on its way through {@code usingWhen}'s wrapper. */
	private static final class DisposalFailure extends RuntimeException {

		DisposalFailure(Throwable cause) {
			super(cause.getMessage(), cause, false, false);
		}

		static boolean isWrapped(Throwable ex) {
			return ex instanceof DisposalFailure || ex.getCause() instanceof DisposalFailure;
		}

		static Throwable unwrap(Throwable ex) {
			DisposalFailure marker = (ex instanceof DisposalFailure failure) ? failure
					: (DisposalFailure) ex.getCause();
			return marker.getCause();
		}

	}

}
