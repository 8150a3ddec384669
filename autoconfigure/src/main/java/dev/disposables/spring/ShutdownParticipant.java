package dev.disposables.spring;

import java.util.concurrent.CompletionStage;

/**
 * Something the shutdown disposes before the dependency graph of beans, because what it holds uses those beans:
 * open disposal scopes, request-scope disposals still in flight.
 */
@FunctionalInterface
public interface ShutdownParticipant {

	/**
	 * Disposes what this participant still holds.
	 * @return a stage that completes when that is done; the shutdown waits for it no longer than its deadline
	 */
	CompletionStage<Void> disposeForShutdown();

}
