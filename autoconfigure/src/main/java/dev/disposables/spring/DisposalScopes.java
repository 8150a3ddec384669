package dev.disposables.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import dev.disposables.Disposal;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;

/**
 * Opens {@link DisposalScope}s: units of work that dispose what was created in them.
 * Scopes nest; the current one follows the work across threads when Micrometer Context
 * Propagation is present (see {@link DisposalScopeThreadLocalAccessor}). Scopes still
 * open at shutdown are disposed by the shutdown (this bean is a
 * {@link ShutdownParticipant}), before the singletons their members use.
 *
 * <pre class="code">
 * // a message listener: everything created for one message is disposed when it has been handled
 * public void onMessage(Message message) throws Exception {
 *     scopes.call(() -&gt; handler.handle(message));
 * }
 *
 * // the same for CompletionStage code: the scope ends when the stage completes or fails
 * return scopes.callAsync((scope) -&gt; scope.getBean(Exporter.class).exportAsync(batch));
 * </pre>
 */
public class DisposalScopes implements ShutdownParticipant {

	private final BeanFactory beanFactory;

	private final DisposableRegistry registry;

	private final AtomicLong ids = new AtomicLong();

	private final Set<DefaultDisposalScope> open = ConcurrentHashMap.newKeySet();

	/**
	 * Create the scopes.
	 * @param beanFactory where the scopes resolve beans
	 * @param registry the registry that disposes what the scopes own
	 */
	public DisposalScopes(BeanFactory beanFactory, DisposableRegistry registry) {
		this.beanFactory = beanFactory;
		this.registry = registry;
	}

	/**
	 * Opens a scope and makes it current on the calling thread until it is disposed; the
	 * scope that was current before (if any) is current again afterwards. Dispose it on
	 * the same thread, typically with try-with-resources.
	 * @return the scope
	 */
	public DisposalScope open() {
		DefaultDisposalScope scope = newScope();
		CurrentDisposalScope.set(scope);
		return scope;
	}

	/**
	 * The scope current on the calling thread.
	 * @return the innermost scope that is open, or empty
	 */
	public Optional<DisposalScope> current() {
		return Optional.ofNullable(CurrentDisposalScope.get(this.registry));
	}

	/**
	 * Runs work in a fresh scope, current on the calling thread while the work runs, and
	 * disposes the scope when the work returns or throws. Like try-with-resources: a
	 * failure of the work is thrown with a disposal failure suppressed onto it; if only
	 * the disposal fails, that failure is thrown.
	 * @param <T> the result type
	 * @param work the work
	 * @return the work's result
	 * @throws Exception what the work or the disposal threw
	 */
	public <T> T call(Callable<T> work) throws Exception {
		try (DisposalScope scope = open()) {
			return work.call();
		}
	}

	/**
	 * Runs asynchronous work in a fresh scope and disposes the scope (without blocking)
	 * when the work's stage completes or fails, as {@link Disposal#using} does. The scope
	 * is current on the calling thread while the function runs and, through context
	 * propagation, on the threads the work continues on.
	 * @param <T> the result type
	 * @param work the work, given the scope
	 * @return a stage with the work's result that completes once the scope has been
	 * disposed: it fails with the work's failure (a disposal failure suppressed onto it)
	 * or, if only the disposal failed, with that failure
	 */
	public <T> CompletionStage<T> callAsync(Function<? super DisposalScope, ? extends CompletionStage<T>> work) {
		DefaultDisposalScope scope = newScope();
		return Disposal.using(() -> scope, (current) -> CurrentDisposalScope.with(scope, () -> work.apply(current)));
	}

	/**
	 * Disposes the scopes still open, concurrently, each member on the disposal threads
	 * with the per-resource timeout: called at shutdown, before the singletons the
	 * members use.
	 * @return a stage that completes when they are disposed
	 */
	@Override
	public CompletionStage<Void> disposeForShutdown() {
		// Off the calling thread: sync disposals of one scope would otherwise run one
		// scope after another on the shutdown thread (many open exchanges or reactive
		// pipelines), without the per-resource timeout.
		// A plain loop: this runs once, cold, where every lambda is linked on first use.
		List<CompletableFuture<?>> disposals = new ArrayList<>();
		for (DefaultDisposalScope scope : this.open) {
			disposals.add(InFlightDisposals.ignoringOutcome(scope.disposeOffThread()));
		}
		return CompletableFuture.allOf(disposals.toArray(new CompletableFuture<?>[0]));
	}

	/**
	 * A scope's members are resources of the registry: the shutdown orders the beans they
	 * use against them one by one, and independent beans do not wait for the scopes.
	 * @return {@code true}
	 */
	@Override
	public boolean ordersByResource() {
		return true;
	}

	/**
	 * How many scopes are open now.
	 * @return the count
	 */
	public int openCount() {
		return this.open.size();
	}

	/**
	 * Opens a scope that is current on no thread: for work that carries its scope itself
	 * (a Reactor {@code Context}, an exchange attribute) rather than running on the
	 * opening thread.
	 * @param parent the scope that encloses it, if any
	 * @return the new scope
	 */
	DefaultDisposalScope openDetached(@Nullable DefaultDisposalScope parent) {
		DefaultDisposalScope scope = new DefaultDisposalScope(this.ids.incrementAndGet(), parent, this.beanFactory,
				this.registry, this.open::remove, destroysResolvedPrototypes());
		this.open.add(scope);
		return scope;
	}

	/**
	 * Whether a scope destroys the prototypes its {@code getBean} returned itself, as
	 * Spring's {@code destroyBean} does: only when no post-processor of the starter
	 * adopts them (the starter switched off).
	 * @return {@code false} here
	 */
	boolean destroysResolvedPrototypes() {
		return false;
	}

	DisposableRegistry registry() {
		return this.registry;
	}

	private DefaultDisposalScope newScope() {
		DefaultDisposalScope scope = new DefaultDisposalScope(this.ids.incrementAndGet(), CurrentDisposalScope.get(),
				this.beanFactory, this.registry, this.open::remove, destroysResolvedPrototypes());
		this.open.add(scope);
		return scope;
	}

}
