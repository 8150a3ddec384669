package dev.disposables;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * A synchronous container of resources and cleanup actions, after the TC39 explicit
 * resource management proposal: what is added is disposed when the stack is closed, in
 * reverse order, each member finished before the next starts, all on the thread that
 * closes the stack.
 *
 * <p>
 * Every member is disposed even if others fail; the first failure is thrown with the
 * later ones attached as suppressed. Closing is idempotent and thread-safe: the members
 * are disposed once, and the failure is thrown by the {@code close()} that started the
 * disposal only; a second {@code close()} is a no-op, a concurrent one waits and then
 * returns normally, and a re-entrant one (through a cycle such as {@code s1.use(s2)} and
 * {@code s2.use(s1)}) returns at once; see {@link #close()}. Registration is thread-safe;
 * registering on a disposed stack throws {@link ObjectDisposedException}.
 *
 * <pre>{@code
 * try (DisposableStack stack = new DisposableStack()) {
 *     Connection connection = stack.use(dataSource.getConnection());
 *     Lock lock = stack.adopt(registry.lock(key), Lock::unlock);
 *     stack.defer(() -> metrics.decrement("open"));
 *     ...
 * } // defer action, then unlock, then connection.close()
 * }</pre>
 *
 * <p>
 * {@link #move()} hands the members over, for constructors that must clean up on failure:
 *
 * <pre>{@code
 * try (DisposableStack stack = new DisposableStack()) {
 *     this.in = stack.use(openInput());
 *     this.out = stack.use(openOutput()); // if this throws, in is closed
 *     this.resources = stack.move();      // success: nothing is closed here
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
// "try": close() may throw InterruptedException because it waits for a concurrent close.
@SuppressWarnings("try")
public final class DisposableStack implements AutoCloseable {

	/**
	 * Members (open) or the outcome of the one disposal (started); see {@link Members}.
	 */
	private final Members state;

	/** Creates an empty stack. */
	public DisposableStack() {
		this.state = new Members();
	}

	private DisposableStack(Members.Node members) {
		this.state = new Members(members);
	}

	/**
	 * Adds a resource whose {@code close()} is called when the stack is disposed.
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
	 * Adds a value with the action that disposes it.
	 * @param value the value, passed to {@code onDispose} as is (even if {@code null})
	 * @param onDispose disposes the value
	 * @param <T> the type of the value
	 * @return {@code value}
	 * @throws ObjectDisposedException if the stack is disposed
	 */
	public <T extends @Nullable Object> T adopt(T value, Disposer<? super T> onDispose) {
		Objects.requireNonNull(onDispose, "onDispose");
		register((AutoCloseable) () -> onDispose.dispose(value));
		return value;
	}

	/**
	 * Adds an action to run when the stack is disposed.
	 * @param action the action
	 * @throws ObjectDisposedException if the stack is disposed
	 */
	public void defer(Action action) {
		Objects.requireNonNull(action, "action");
		register((AutoCloseable) action::run);
	}

	/**
	 * Moves every member to a new stack and marks this one disposed without disposing
	 * anything.
	 * @return a new stack holding the members of this one, in the same order
	 * @throws ObjectDisposedException if this stack is disposed
	 */
	public DisposableStack move() {
		Members.Node members = this.state.close(CompletableFuture.completedFuture(null));
		if (members == null) {
			throw disposed();
		}
		return new DisposableStack(members);
	}

	/**
	 * Whether the stack is disposed: closing has started, or its members were moved.
	 * @return {@code true} once disposed
	 */
	public boolean isDisposed() {
		return this.state.isDisposed();
	}

	/**
	 * Disposes the members in reverse order of registration on this thread.
	 *
	 * <p>
	 * Only the call that starts the disposal throws its failure. Any other call returns
	 * normally:
	 *
	 * <ul>
	 * <li>once the disposal has completed, successfully or not (or the members were
	 * moved), at once: a second {@code close()} is a no-op, as in the TC39 proposal and
	 * .NET. So an explicit {@code close()} inside try-with-resources throws the real
	 * failure, and the implicit one that follows adds nothing to it;</li>
	 * <li>while another thread is disposing the stack, after that disposal has completed,
	 * even if it failed (the failure is reported once, to the caller that started
	 * it);</li>
	 * <li>when it re-enters the disposal in progress (called by a member during this
	 * stack's own disposal, or through a cycle such as {@code s1.use(s2)} and
	 * {@code s2.use(s1)}, also when the cycle passes through an asynchronous member that
	 * continues on another thread), at once instead of waiting for itself. Each member of
	 * a cycle is disposed exactly once.</li>
	 * </ul>
	 * @throws Exception for the call that starts the disposal: the first failure, with
	 * later ones suppressed
	 */
	@Override
	public void close() throws Exception {
		DisposalRun disposal = new DisposalRun();
		Members.Node members = this.state.close(disposal);
		if (members == null) {
			Stages.await(DisposalRun.join(this.state.disposal()));
			return;
		}
		disposal.begin();
		DisposalEvents.disposed(this);
		Throwable failure = null;
		for (Members.Node node = members; node != Members.Node.EMPTY; node = node.next) {
			AutoCloseable member = (AutoCloseable) node.member;
			DisposalEvents.disposed(member);
			try {
				disposal.within(() -> {
					member.close();
					return null;
				});
			}
			catch (Throwable memberFailure) {
				failure = Failures.add(failure, memberFailure);
			}
		}
		disposal.finish(failure);
		if (failure != null) {
			throw Failures.rethrow(failure);
		}
	}

	private void register(AutoCloseable member) {
		if (!this.state.add(member)) {
			throw disposed();
		}
	}

	private static ObjectDisposedException disposed() {
		return new ObjectDisposedException(DisposableStack.class.getName());
	}

	/**
	 * A cleanup action that may throw.
	 *
	 * <pre>{@code
	 * stack.defer(() -> Files.deleteIfExists(tempFile));
	 * }</pre>
	 *
	 * @since 0.1.0
	 */
	@FunctionalInterface
	public interface Action {

		/**
		 * Runs the action.
		 * @throws Exception if the cleanup failed
		 */
		void run() throws Exception;

	}

	/**
	 * Disposes a value that is not {@link AutoCloseable} itself.
	 *
	 * <pre>{@code
	 * ExecutorService pool = stack.adopt(Executors.newFixedThreadPool(4), ExecutorService::shutdown);
	 * }</pre>
	 *
	 * @param <T> the type of the value
	 * @since 0.1.0
	 */
	@FunctionalInterface
	public interface Disposer<T extends @Nullable Object> {

		/**
		 * Disposes the value.
		 * @param value the value given to {@code adopt}; may be {@code null} if that was
		 * given
		 * @throws Exception if disposal failed
		 */
		void dispose(T value) throws Exception;

	}

}
