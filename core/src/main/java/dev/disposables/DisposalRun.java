package dev.disposables;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The one disposal of a container, as the future of its outcome, plus what it takes to
 * tell a re-entrant dispose call from a concurrent one. Containers store it as their
 * state.
 *
 * <p>
 * While a disposal calls into one of its members (or its own core), it is the
 * <em>current</em> disposal of that thread. A disposal started from there records that
 * the current one now waits for it; a call from there that joins a disposal already
 * running records the same. A disposal waits for one thing at a time, so these links form
 * chains, and a dispose call that finds a disposal already started gets (see
 * {@link #join}):
 *
 * <ul>
 * <li>a completed stage if that disposal is over: a second disposal is a no-op;</li>
 * <li>a completed stage if that disposal waits, directly or through a chain, for the
 * current one: the call re-enters a disposal in progress (its own member, an ownership
 * cycle, on whichever thread the chain has reached), and waiting would wait for
 * itself;</li>
 * <li>otherwise a stage that completes normally once that disposal is over: a concurrent
 * caller waits, but the failure belongs to the caller that started the disposal.</li>
 * </ul>
 *
 * <p>
 * Links to a running disposal are added only under one lock, after checking that they
 * close no chain; a link to a new disposal cannot close one (the new disposal has no
 * links of its own yet). So no chain of waiting disposals is ever a cycle, and every
 * ownership cycle completes, also when two threads start disposing it from different
 * ends.
 *
 * <p>
 * What is not seen: a member that hands a disposal to another thread itself (a
 * {@code disposeAsync()} that calls {@code other.close()} inside {@code runAsync}) starts
 * that disposal outside any current one, so a cycle through it is not recognized.
 */
class DisposalRun extends CompletableFuture<Void> {

	/** The disposal calling into a member on this thread right now. */
	private static final ThreadLocal<DisposalRun> CURRENT = new ThreadLocal<>();

	/**
	 * Serializes the decision to wait, so two disposals cannot each decide to wait for
	 * the other.
	 */
	private static final Object JOINS = new Object();

	/**
	 * What this disposal waits for right now, as far as known: a disposal it started or
	 * joined.
	 */
	private volatile DisposalRun awaiting;

	/**
	 * Links this disposal to the one that caused it, if any. Called once this object is
	 * installed as a container's state, before anything else runs.
	 */
	final void begin() {
		DisposalRun cause = CURRENT.get();
		if (cause != null) {
			cause.awaiting = this;
		}
	}

	/**
	 * Runs one step of this disposal (a member's disposal, a core) with this disposal as
	 * the thread's current one, so that the dispose calls the step makes know where they
	 * come from.
	 * @param step the step to run
	 * @return the stage the step returned, {@code null} if it finished synchronously
	 */
	final CompletionStage<?> within(DisposeStep step) throws Throwable {
		DisposalRun outer = CURRENT.get();
		this.awaiting = null; // the previous step is over
		CURRENT.set(this);
		try {
			return step.start();
		}
		finally {
			if (outer == null) {
				CURRENT.remove();
			}
			else {
				CURRENT.set(outer);
			}
		}
	}

	/**
	 * Completes this disposal with {@code failure}, or successfully if {@code null}.
	 * @param failure the failure, or {@code null}
	 */
	final void finish(Throwable failure) {
		this.awaiting = null;
		if (failure == null) {
			complete(null);
		}
		else {
			completeExceptionally(failure);
		}
	}

	/**
	 * What a dispose call gets that found {@code disposal} already started (it did not
	 * start it): see the class comment.
	 * @param disposal a container's disposal: a {@code DisposalRun}, or a completed
	 * future (moved)
	 * @return a stage that never fails
	 */
	static CompletionStage<Void> join(CompletableFuture<Void> disposal) {
		if (disposal.isDone()) {
			return Stages.DONE;
		}
		DisposalRun caller = CURRENT.get();
		if (caller != null && disposal instanceof DisposalRun run) {
			synchronized (JOINS) {
				if (run.waitsFor(caller)) {
					// re-entrant: the disposal in progress is waiting for this call
					return Stages.DONE;
				}
				caller.awaiting = run;
			}
		}
		return disposal.handle((ignored, failure) -> null);
	}

	/**
	 * Whether this disposal is {@code target} or waits for it through a chain of
	 * disposals.
	 * @param target the disposal that may be waited for
	 * @return whether this disposal waits for {@code target}
	 */
	private boolean waitsFor(DisposalRun target) {
		Set<DisposalRun> seen = null;
		int steps = 0;
		for (DisposalRun run = this; run != null && !run.isDone(); run = run.awaiting) {
			if (run == target) {
				return true;
			}
			// Chains have no cycles (see the class comment); the guard only bounds a long
			// walk.
			if (++steps > 64) {
				if (seen == null) {
					seen = Collections.newSetFromMap(new IdentityHashMap<>());
				}
				if (!seen.add(run)) {
					return false;
				}
			}
		}
		return false;
	}

}
