package dev.disposables.spring;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * Runs a sync disposal on an executor thread and remembers that thread, so that a disposal past its timeout can
 * be interrupted. The interrupt flag is cleared before the (pooled) thread is given back.
 */
final class SyncDisposal implements Runnable {

	private final DisposalPlan plan;

	private final Object bean;

	private final CompletableFuture<Void> result = new CompletableFuture<>();

	private @Nullable Thread runner;

	private boolean finished;

	SyncDisposal(DisposalPlan plan, Object bean) {
		this.plan = plan;
		this.bean = bean;
	}

	CompletableFuture<Void> result() {
		return this.result;
	}

	@Override
	public void run() {
		synchronized (this) {
			if (this.finished) {
				return; // abandoned before it started
			}
			this.runner = Thread.currentThread();
		}
		try {
			this.plan.disposeSync(this.bean);
			this.result.complete(null);
		}
		catch (Throwable ex) {
			this.result.completeExceptionally(ex);
		}
		finally {
			synchronized (this) {
				this.runner = null;
				this.finished = true;
				Thread.interrupted();
			}
		}
	}

	/** Interrupts the thread running the disposal, or makes sure it never starts. */
	synchronized void abandon() {
		this.finished = true;
		if (this.runner != null) {
			this.runner.interrupt();
		}
	}

}
