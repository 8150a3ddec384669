package dev.disposables;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Disposes members one after another without holding a thread while an asynchronous
 * member finishes: each member's disposal starts only after the previous one completed,
 * every member is attempted, the first failure is primary and later ones are suppressed
 * onto it. The object is itself the future of the whole disposal, so containers store it
 * as their state; as a {@link DisposalRun} it tells re-entrant dispose calls (which must
 * not wait) from concurrent ones.
 *
 * <p>
 * Stages that are already complete are handled in a loop rather than by recursion, so a
 * thousand synchronous members do not need a thousand stack frames.
 */
final class SequentialDisposal extends DisposalRun {

	private Object first;

	private Members.Node next;

	/**
	 * Written only by the thread currently driving; hand-offs go through {@link Resume}.
	 */
	private Throwable failure;

	/**
	 * Runs the disposal; returns once it completed or waits for an asynchronous member.
	 * Called once, by the thread that installed this future as a container's state.
	 * @param first a member disposed before all others (a container's own core), or
	 * {@code null}
	 * @param members the remaining members, in disposal order
	 */
	void start(Object first, Members.Node members) {
		this.first = first;
		this.next = members;
		begin();
		drive();
	}

	private void drive() {
		Object member;
		while ((member = nextMember()) != null) {
			CompletionStage<?> stage;
			try {
				Object current = member;
				stage = within(() -> Dispatch.start(current));
			}
			catch (Throwable syncFailure) {
				record(syncFailure);
				continue;
			}
			if (stage != null) {
				Resume resume = new Resume();
				try {
					stage.whenComplete(resume);
				}
				catch (Throwable misbehaving) {
					resume.accept(null, misbehaving);
				}
				if (resume.leave()) {
					return; // resume continues the loop on the thread completing the
							// stage
				}
			}
		}
		finish(this.failure);
	}

	private Object nextMember() {
		if (this.first != null) {
			Object member = this.first;
			this.first = null;
			return member;
		}
		// Members may be null only as "skip"; containers never register null.
		while (this.next != Members.Node.EMPTY && this.next != null) {
			Object member = this.next.member;
			this.next = this.next.next;
			if (member != null) {
				return member;
			}
		}
		return null;
	}

	private void record(Throwable raw) {
		this.failure = Failures.add(this.failure, Failures.unwrap(raw));
	}

	/**
	 * Continues the loop after an asynchronous member, exactly once, on whichever side is
	 * last.
	 */
	private final class Resume extends AtomicInteger implements BiConsumer<Object, Throwable> {

		private static final long serialVersionUID = 1L;

		private static final int PENDING = 0;

		private static final int COMPLETED_INLINE = 1;

		private static final int DRIVER_LEFT = 2;

		@Override
		public void accept(Object ignored, Throwable memberFailure) {
			if (memberFailure != null) {
				record(memberFailure);
			}
			if (!compareAndSet(PENDING, COMPLETED_INLINE)) {
				drive();
			}
		}

		/**
		 * Hands the drive over to the completion callback if the step is still pending.
		 * @return {@code true} if the driver leaves and the completion callback takes
		 * over
		 */
		boolean leave() {
			return compareAndSet(PENDING, DRIVER_LEFT);
		}

	}

}
