package dev.disposables.spring;

import java.util.concurrent.CompletionStage;

/**
 * Something the shutdown disposes along with the dependency graph of beans, because what
 * it holds uses those beans: open disposal scopes, request-scope disposals still in
 * flight. Participants are found as beans of this type, by name once the context has
 * started (a singleton registered by hand after that is added through
 * {@link DisposableRegistry#addShutdownParticipant}); the shutdown starts them all at
 * once.
 *
 * <p>
 * By default the graph waits for a participant before it starts, since what the
 * participant holds is unknown to it. A participant whose members are all resources of
 * the {@link DisposableRegistry} says so with {@link #ordersByResource()}: the graph then
 * starts at once, and only the beans its members use wait for those members, so that one
 * slow member never holds up independent beans.
 */
@FunctionalInterface
public interface ShutdownParticipant {

	/**
	 * Disposes what this participant still holds. Called on a starter thread; it should
	 * not block.
	 * @return a stage that completes when that is done; the shutdown waits for it no
	 * longer than its deadline
	 */
	CompletionStage<Void> disposeForShutdown();

	/**
	 * Whether everything this participant disposes is a resource of the
	 * {@link DisposableRegistry}, so that the shutdown can order beans against those
	 * resources one by one instead of waiting for the whole participant.
	 * @return {@code false} by default: the graph waits for this participant
	 */
	default boolean ordersByResource() {
		return false;
	}

}
