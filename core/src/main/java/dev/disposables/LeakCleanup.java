package dev.disposables;

import java.lang.ref.Cleaner;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A cleanup action that runs only if its owner becomes unreachable without being
 * disposed.
 *
 * <p>
 * A top-level class on purpose: a nested or anonymous class could capture the owner and
 * keep it reachable forever. The owner's disposal {@linkplain #disarm() disarms} it,
 * which also deregisters it from the {@link Cleaner} so the registration does not linger
 * until GC.
 */
final class LeakCleanup extends AtomicReference<Runnable> implements Runnable, DisposeStep {

	private static final long serialVersionUID = 1L;

	private transient volatile Cleaner.Cleanable cleanable;

	private LeakCleanup(Runnable action) {
		super(action);
	}

	/**
	 * Registers {@code action} to run when {@code owner} becomes phantom reachable.
	 * @param owner the object whose collection triggers the action
	 * @param action the cleanup to run
	 * @return the registered cleanup
	 */
	static LeakCleanup register(Object owner, Runnable action) {
		LeakCleanup cleanup = new LeakCleanup(action);
		cleanup.cleanable = Shared.CLEANER.register(owner, cleanup);
		return cleanup;
	}

	/**
	 * Called by the Cleaner thread (or by {@code clean()}): runs the action unless
	 * disarmed.
	 */
	@Override
	public void run() {
		Runnable action = getAndSet(null);
		if (action != null) {
			action.run();
		}
	}

	/** Makes sure the action never runs, and drops the registration. */
	void disarm() {
		set(null);
		Cleaner.Cleanable registration = this.cleanable;
		if (registration != null) {
			registration.clean(); // runs run(), which now finds nothing to do
		}
	}

	/** As a member of a disposal: disarming is all there is to do. */
	@Override
	public CompletionStage<?> start() {
		disarm();
		return null;
	}

	/**
	 * Created on first use so that code that never registers a cleanup never starts its
	 * thread.
	 */
	private static final class Shared {

		static final Cleaner CLEANER = Cleaner.create();

	}

}
