package dev.disposables;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * The dispose pattern done once, right: a base class whose {@link #close()} and
 * {@link #disposeAsync()} converge on one disposal that runs exactly once, however many
 * threads call either of them.
 *
 * <p>
 * Subclasses release their own resources in {@link #disposeAsyncCore()} (asynchronous) or
 * {@link #disposeCore()} (synchronous), and hand child resources to
 * {@link #own(AutoCloseable)}; owned children are disposed after the core, most recently
 * owned first, each finished before the next starts, asynchronously where they can be.
 * Every step is attempted even if earlier ones fail; the first failure completes the
 * disposal, later ones are attached as suppressed. That outcome goes to the call that
 * started the disposal, and only to it: a second {@code close()} or
 * {@code disposeAsync()} is a no-op, a concurrent one waits for the disposal to finish
 * and then returns normally, and one that re-enters the disposal in progress (an
 * ownership cycle, a {@code close()} from {@code disposeCore()}) returns at once instead
 * of waiting for itself; see {@link #disposeAsync()}.
 *
 * <pre>{@code
 * public final class ReportWriter extends DisposableBase {
 *     private final Connection connection = own(dataSource.getConnection());
 *     private final AsyncFile file = own(AsyncFile.open(path));
 *
 *     public void write(Row row) {
 *         throwIfDisposed();
 *         file.append(row);
 *     }
 *
 *     protected CompletionStage<?> disposeAsyncCore() {
 *         return file.flush(); // runs first; then file, then connection are disposed
 *     }
 * }
 * }</pre>
 *
 * <p>
 * A subclass that holds a raw native resource can also {@linkplain #registerLeakCleanup
 * register a leak cleanup}: the Java replacement for a .NET finalizer or
 * {@code SafeHandle}.
 *
 * @since 0.1.0
 */
// "try": close() may throw InterruptedException because it waits; that is intended here.
@SuppressWarnings("try")
public abstract class DisposableBase implements AsyncDisposable {

	/** Owned children (open) or the one disposal (started); see {@link Members}. */
	private final Members state = new Members();

	/** For subclasses. */
	protected DisposableBase() {
	}

	/**
	 * Starts the disposal, or joins the one already started.
	 *
	 * <p>
	 * Only the call that starts the disposal observes its outcome. Any other call returns
	 * a stage that never fails:
	 *
	 * <ul>
	 * <li>once the disposal has completed, successfully or not, a completed stage: a
	 * second disposal is a no-op, as in .NET and the TC39 explicit resource management
	 * proposal;</li>
	 * <li>while it is running, a stage that completes normally when it has completed,
	 * even if it failed (the failure is reported once, to the caller that started
	 * it);</li>
	 * <li>a call that re-enters the disposal in progress (from {@code disposeCore()},
	 * from an owned child, through an ownership cycle such as {@code a.own(b)} and
	 * {@code b.own(a)}, on whichever thread the disposal continues) gets a completed
	 * stage at once instead of waiting for itself. Each member of a cycle is disposed
	 * exactly once.</li>
	 * </ul>
	 * @return for the call that starts the disposal, a stage completing when the core and
	 * every owned child have been disposed, exceptionally with the first failure (later
	 * ones suppressed onto it)
	 */
	@Override
	public final CompletionStage<Void> disposeAsync() {
		SequentialDisposal started = start();
		return (started != null) ? Stages.relay(started) : DisposalRun.join(this.state.disposal());
	}

	/**
	 * Disposes this object and waits for the disposal to finish, rethrowing the original
	 * failure (see {@link AsyncDisposable#close()}). As for {@link #disposeAsync()}, only
	 * the call that starts the disposal throws its failure: a later {@code close()}
	 * returns normally at once, a concurrent one waits for the disposal and returns
	 * normally, and one that re-enters the disposal in progress (for example from
	 * {@code disposeCore()}, or through an ownership cycle) returns at once. So an
	 * explicit {@code close()} inside try-with-resources throws the real failure, and the
	 * implicit {@code close()} that follows adds nothing to it.
	 */
	@Override
	public final void close() throws Exception {
		SequentialDisposal started = start();
		Stages.await((started != null) ? started : DisposalRun.join(this.state.disposal()));
	}

	/**
	 * Whether disposal has started: {@code true} from the moment the first
	 * {@code close()} or {@code disposeAsync()} call begins, including while
	 * {@code disposeCore()} runs.
	 * @return {@code true} once disposal has started
	 */
	public final boolean isDisposed() {
		return this.state.isDisposed();
	}

	/**
	 * Releases this object's own resources asynchronously. Called exactly once, before
	 * the owned children are disposed. The default runs {@link #disposeCore()} on the
	 * calling thread.
	 *
	 * <p>
	 * A synchronous throw or a {@code null} return fails the disposal like a failed
	 * stage; owned children are disposed anyway.
	 * @return a stage completing when this object's own resources are released
	 */
	protected CompletionStage<?> disposeAsyncCore() {
		try {
			disposeCore();
			return Stages.DONE;
		}
		catch (Exception failure) {
			return Stages.failed(failure);
		}
	}

	/**
	 * Releases this object's own resources synchronously. Called exactly once by the
	 * default {@link #disposeAsyncCore()}. Does nothing by default.
	 * @throws Exception if releasing failed; the children are disposed anyway
	 */
	protected void disposeCore() throws Exception {
	}

	/**
	 * Makes this object the owner of {@code child}: it is disposed after this object's
	 * core, in reverse order of ownership, through {@code disposeAsync()} if it is an
	 * {@link AsyncDisposable}, otherwise through {@code close()}.
	 *
	 * <p>
	 * Owning a child once disposal has started is refused with an
	 * {@link ObjectDisposedException} rather than disposing the child on the spot: the
	 * caller still holds the child and decides what to do with it (typically close it in
	 * a {@code catch}).
	 * @param child the resource to own; {@code null} is ignored
	 * @param <T> the type of the child
	 * @return {@code child}, for use in field initializers and fluent code
	 * @throws ObjectDisposedException if disposal of this object has started
	 */
	protected final <T extends @Nullable AutoCloseable> T own(T child) {
		if (child != null && !this.state.add(child)) {
			throw new ObjectDisposedException(disposableName());
		}
		return child;
	}

	/**
	 * Throws if disposal has started. Call it first in every public method that uses
	 * resources.
	 * @throws ObjectDisposedException naming this object by {@link #disposableName()}
	 */
	protected final void throwIfDisposed() {
		if (this.state.isDisposed()) {
			throw new ObjectDisposedException(disposableName());
		}
	}

	/**
	 * The name used for this object in exceptions: by default its class name. Override to
	 * give a more useful name, but do not include secrets (the name ends up in logs).
	 * @return the name of this object
	 */
	protected String disposableName() {
		return getClass().getName();
	}

	/**
	 * Registers a last-resort cleanup that runs on a shared {@link java.lang.ref.Cleaner}
	 * thread if, and only if, this object becomes unreachable <em>without having been
	 * disposed</em>. Once disposal starts, the action is disarmed and never runs. This is
	 * the Java way of a .NET finalizer or {@code SafeHandle}: for raw native handles, not
	 * for ordinary Java objects.
	 *
	 * <p>
	 * <strong>The action must not reference this object</strong>, directly or indirectly
	 * (no {@code this}, no instance fields, no lambda or inner class declared in an
	 * instance context that captures {@code this}): otherwise the object stays reachable
	 * forever and neither the action nor the collection ever happens. Capture only the
	 * raw resource:
	 *
	 * <pre>{@code
	 * public final class NativeBuffer extends DisposableBase {
	 *     private final long address;
	 *
	 *     public NativeBuffer(long size) {
	 *         this.address = Native.malloc(size);
	 *         long raw = address;                      // a local: the lambda captures only it
	 *         registerLeakCleanup(() -> Native.free(raw));
	 *     }
	 *
	 *     protected void disposeCore() {
	 *         Native.free(address);
	 *     }
	 * }
	 * }</pre>
	 *
	 * <p>
	 * The action runs at an unpredictable time on a thread it does not own: keep it short
	 * and thread-safe. Exceptions it throws are ignored by the {@code Cleaner}.
	 * @param action the cleanup to run if this object leaks
	 * @throws ObjectDisposedException if disposal of this object has started
	 */
	protected final void registerLeakCleanup(Runnable action) {
		Objects.requireNonNull(action, "action");
		LeakCleanup cleanup = LeakCleanup.register(this, action);
		if (!this.state.add(cleanup)) {
			cleanup.disarm();
			throw new ObjectDisposedException(disposableName());
		}
	}

	/**
	 * Starts the disposal; {@code null} if it had already started.
	 * @return the disposal, or {@code null}
	 */
	private SequentialDisposal start() {
		if (this.state.isDisposed()) {
			return null;
		}
		SequentialDisposal disposal = new SequentialDisposal();
		Members.Node children = this.state.close(disposal);
		if (children == null) {
			return null; // another thread won
		}
		disarmLeakCleanups(children);
		DisposalEvents.disposed(this);
		// The core is the first step; a throw or a null from it is a failure of the
		// disposal.
		disposal.start((DisposeStep) () -> Stages.requireStage(disposeAsyncCore(), this, "disposeAsyncCore()"),
				children);
		return disposal;
	}

	/**
	 * Disposal has started: from now on the normal path owns the resources, not the
	 * Cleaner.
	 * @param children the children of this object
	 */
	private static void disarmLeakCleanups(Members.Node children) {
		for (Members.Node node = children; node != Members.Node.EMPTY; node = node.next) {
			if (node.member instanceof LeakCleanup cleanup) {
				cleanup.disarm();
			}
		}
	}

}
