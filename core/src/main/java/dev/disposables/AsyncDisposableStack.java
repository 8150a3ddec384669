package dev.disposables;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * An asynchronous container of resources and cleanup actions, after the TC39 explicit
 * resource management proposal ({@code AsyncDisposableStack}): what is added is disposed
 * when the stack is disposed, in reverse order, each member finished before the next
 * starts, without holding a thread while an asynchronous member finishes.
 *
 * <p>
 * {@link AsyncDisposable} members are disposed through {@code disposeAsync()} only, other
 * {@link AutoCloseable} members through {@code close()} (on the thread that happens to
 * continue the disposal). Every member is disposed even if others fail; the disposal
 * fails with the first failure, the later ones attached as suppressed. Disposal is
 * idempotent and thread-safe: the members are disposed once, and the outcome goes to the
 * call that started the disposal; a second disposal is a no-op, a concurrent one waits
 * and then completes normally, and a re-entrant one (through a cycle such as
 * {@code s1.use(s2)} and {@code s2.use(s1)}) completes at once; see
 * {@link #disposeAsync()}. Registration is thread-safe; registering on a disposed stack
 * throws {@link ObjectDisposedException}.
 *
 * <pre>{@code
 * AsyncDisposableStack stack = new AsyncDisposableStack();
 * HttpClient client = stack.use(newClient());                        // AsyncDisposable
 * Channel channel = stack.adopt(open(), Channel::closeAsync);        // returns a CompletionStage
 * stack.deferSync(() -> metrics.decrement("open"));
 * return work(client, channel)
 *         .whenComplete((result, failure) -> stack.disposeAsync()); // or Disposal.using(...)
 * }</pre>
 *
 * <p>
 * The asynchronous and synchronous callbacks have different names ({@code adopt} /
 * {@code adoptSync}, {@code defer} / {@code deferSync}) because overloads on lambda
 * shapes would be ambiguous for many lambdas.
 *
 * @since 0.1.0
 */
// "try": close() may throw InterruptedException because it waits.
@SuppressWarnings("try")
public final class AsyncDisposableStack implements AsyncDisposable {

	/** Members (open) or the one disposal (started); see {@link Members}. */
	private final Members state;

	/** Creates an empty stack. */
	public AsyncDisposableStack() {
		this.state = new Members();
	}

	private AsyncDisposableStack(Members.Node members) {
		this.state = new Members(members);
	}

	/**
	 * Adds a resource, disposed through {@code disposeAsync()} if it is an
	 * {@link AsyncDisposable}, otherwise through {@code close()}.
	 * @param resource the resource; {@code null} is ignored
	 * @param <T> the type of the resource
	 * @return {@code resource}
	 * @throws ObjectDisposedException if the stack is disposed
	 */
	public <T extends @Nullable AutoCloseable> T use(T resource) {
		if (resource != null) {
			register(resource);
		}
		return resource;
	}

	/**
	 * Adds a value with the asynchronous action that disposes it.
	 * @param value the value, passed to {@code onDisposeAsync} as is (even if
	 * {@code null})
	 * @param onDisposeAsync starts disposing the value and returns a stage that completes
	 * when done; a {@code null} stage counts as a failure
	 * @param <T> the type of the value
	 * @return {@code value}
	 * @throws ObjectDisposedException if the stack is disposed
	 */
	public <T extends @Nullable Object> T adopt(T value,
			Function<? super T, ? extends @Nullable CompletionStage<?>> onDisposeAsync) {
		Objects.requireNonNull(onDisposeAsync, "onDisposeAsync");
		register((DisposeStep) () -> Stages.requireStage(onDisposeAsync.apply(value), onDisposeAsync, "apply()"));
		return value;
	}

	/**
	 * Adds a value with the synchronous action that disposes it.
	 * @param value the value, passed to {@code onDispose} as is (even if {@code null})
	 * @param onDispose disposes the value
	 * @param <T> the type of the value
	 * @return {@code value}
	 * @throws ObjectDisposedException if the stack is disposed
	 */
	public <T extends @Nullable Object> T adoptSync(T value, DisposableStack.Disposer<? super T> onDispose) {
		Objects.requireNonNull(onDispose, "onDispose");
		register((DisposeStep) () -> {
			onDispose.dispose(value);
			return null;
		});
		return value;
	}

	/**
	 * Adds an asynchronous action to run when the stack is disposed.
	 * @param onDisposeAsync starts the action and returns a stage that completes when
	 * done; a {@code null} stage counts as a failure
	 * @throws ObjectDisposedException if the stack is disposed
	 */
	public void defer(Supplier<? extends @Nullable CompletionStage<?>> onDisposeAsync) {
		Objects.requireNonNull(onDisposeAsync, "onDisposeAsync");
		register((DisposeStep) () -> Stages.requireStage(onDisposeAsync.get(), onDisposeAsync, "get()"));
	}

	/**
	 * Adds a synchronous action to run when the stack is disposed.
	 * @param action the action
	 * @throws ObjectDisposedException if the stack is disposed
	 */
	public void deferSync(DisposableStack.Action action) {
		Objects.requireNonNull(action, "action");
		register((DisposeStep) () -> {
			action.run();
			return null;
		});
	}

	/**
	 * Moves every member to a new stack and marks this one disposed without disposing
	 * anything.
	 * @return a new stack holding the members of this one, in the same order
	 * @throws ObjectDisposedException if this stack is disposed
	 */
	public AsyncDisposableStack move() {
		Members.Node members = this.state.close(CompletableFuture.completedFuture(null));
		if (members == null) {
			throw disposed();
		}
		return new AsyncDisposableStack(members);
	}

	/**
	 * Whether the stack is disposed: disposal has started, or its members were moved.
	 * @return {@code true} once disposed
	 */
	public boolean isDisposed() {
		return this.state.isDisposed();
	}

	/**
	 * Disposes the members in reverse order of registration, each finished before the
	 * next starts, or joins the disposal already started.
	 *
	 * <p>
	 * Only the call that starts the disposal observes its outcome. Any other call returns
	 * a stage that never fails:
	 *
	 * <ul>
	 * <li>once the disposal has completed, successfully or not (or the members were
	 * moved), a completed stage: a second disposal is a no-op, as in the TC39 proposal
	 * and .NET;</li>
	 * <li>while it is running, a stage that completes normally when it has completed,
	 * even if it failed (the failure is reported once, to the caller that started
	 * it);</li>
	 * <li>a call that re-enters the disposal in progress (from a member of this stack,
	 * through a cycle such as {@code s1.use(s2)} and {@code s2.use(s1)}, on whichever
	 * thread the disposal continues) gets a completed stage at once instead of waiting
	 * for itself. Each member of a cycle is disposed exactly once.</li>
	 * </ul>
	 * @return for the call that starts the disposal, a stage completing when every member
	 * has been disposed, exceptionally with the first failure (later ones suppressed onto
	 * it)
	 */
	@Override
	public CompletionStage<Void> disposeAsync() {
		SequentialDisposal started = start();
		return (started != null) ? Stages.relay(started) : DisposalRun.join(this.state.disposal());
	}

	/**
	 * Disposes the stack and waits, rethrowing the original failure (see
	 * {@link AsyncDisposable#close()}). As for {@link #disposeAsync()}, only the call
	 * that starts the disposal throws its failure: a later {@code close()} returns
	 * normally at once, a concurrent one waits and returns normally, and a re-entrant one
	 * (by a member during this stack's own disposal, or through a cycle) returns at once.
	 * So an explicit {@code close()} inside try-with-resources throws the real failure,
	 * and the implicit one adds nothing.
	 */
	@Override
	public void close() throws Exception {
		SequentialDisposal started = start();
		Stages.await((started != null) ? started : DisposalRun.join(this.state.disposal()));
	}

	/**
	 * Starts the disposal; {@code null} if it had already started or the members were
	 * moved.
	 * @return the disposal, or {@code null}
	 */
	private SequentialDisposal start() {
		if (this.state.isDisposed()) {
			return null;
		}
		SequentialDisposal disposal = new SequentialDisposal();
		Members.Node members = this.state.close(disposal);
		if (members == null) {
			return null; // another thread won
		}
		DisposalEvents.disposed(this);
		for (Members.Node node = members; node != Members.Node.EMPTY; node = node.next) {
			DisposalEvents.disposed(node.member);
		}
		disposal.start(null, members);
		return disposal;
	}

	private void register(Object member) {
		if (!this.state.add(member)) {
			throw disposed();
		}
	}

	private static ObjectDisposedException disposed() {
		return new ObjectDisposedException(AsyncDisposableStack.class.getName());
	}

}
