package dev.disposables;

import java.util.concurrent.CompletionStage;

/** Temporary placeholder, replaced by the core API branch. */
public interface AsyncDisposable extends AutoCloseable {

	CompletionStage<Void> disposeAsync();

	@Override
	default void close() throws Exception {
		disposeAsync().toCompletableFuture().get();
	}

}
