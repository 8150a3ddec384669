package dev.disposables.spring.adapter;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.netty.util.concurrent.Future;

/**
 * Netty futures as stages, through a listener: nothing blocks while waiting.
 */
final class NettyFutures {

	private NettyFutures() {
	}

	static CompletionStage<Void> toStage(Future<?> future) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		future.addListener((completed) -> {
			if (completed.isSuccess()) {
				done.complete(null);
			}
			else if (completed.isCancelled()) {
				done.completeExceptionally(new CancellationException("Netty future cancelled"));
			}
			else {
				done.completeExceptionally(completed.cause());
			}
		});
		return done;
	}

}
