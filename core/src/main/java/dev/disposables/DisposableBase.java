package dev.disposables;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Temporary placeholder, replaced by the core API branch. */
public abstract class DisposableBase implements AsyncDisposable {

	private volatile boolean disposed;

	public final CompletionStage<Void> disposeAsync() {
		this.disposed = true;
		return CompletableFuture.completedFuture(null);
	}

	public boolean isDisposed() {
		return this.disposed;
	}

}
