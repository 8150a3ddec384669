package dev.disposables;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lock-free state of a disposable container: open with a list of members, or disposal
 * started.
 *
 * <p>
 * One atomic reference holds both, so "register a member" and "start disposal" cannot
 * interleave: a member is either registered before disposal started (and then disposed by
 * it) or rejected. The state is a {@link Node} while open (members most recent first,
 * which is exactly disposal order) and the disposal's future once disposal has started,
 * so late callers find the one shared outcome with a single read.
 */
final class Members extends AtomicReference<Object> {

	private static final long serialVersionUID = 1L;

	Members() {
		super(Node.EMPTY);
	}

	Members(Node members) {
		super(members);
	}

	/**
	 * Registers a member.
	 * @param member the member to register
	 * @return {@code false} if disposal has already started (the member was not
	 * registered)
	 */
	boolean add(Object member) {
		for (;;) {
			Object state = get();
			if (!(state instanceof Node head)) {
				return false;
			}
			if (compareAndSet(state, new Node(member, head))) {
				return true;
			}
		}
	}

	boolean isDisposed() {
		return !(get() instanceof Node);
	}

	/**
	 * The disposal's future, or {@code null} while still open.
	 * @return the disposal, or {@code null}
	 */
	@SuppressWarnings("unchecked")
	CompletableFuture<Void> disposal() {
		Object state = get();
		return (state instanceof Node) ? null : (CompletableFuture<Void>) state;
	}

	/**
	 * Moves to the disposed state with {@code disposal} as its outcome.
	 * @param disposal the future of the disposal
	 * @return the members (most recent first) if this call won, {@code null} if disposal
	 * had already started
	 */
	Node close(CompletableFuture<Void> disposal) {
		for (;;) {
			Object state = get();
			if (!(state instanceof Node head)) {
				return null;
			}
			if (compareAndSet(state, disposal)) {
				return head;
			}
		}
	}

	/** A linked list of members, most recently registered first. */
	static final class Node {

		static final Node EMPTY = new Node(null, null);

		final Object member;

		final Node next;

		Node(Object member, Node next) {
			this.member = member;
			this.next = next;
		}

	}

}
