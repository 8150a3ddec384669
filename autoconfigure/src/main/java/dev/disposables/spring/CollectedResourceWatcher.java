package dev.disposables.spring;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The reference queue that weakly tracked resources are registered with, and the daemon
 * thread that hands each resource to the registry as soon as the garbage collector
 * enqueues it — so that a leak is reported promptly, not when the next instance happens
 * to be tracked. The thread starts with the first resource and stops on {@link #close()}.
 */
final class CollectedResourceWatcher implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(CollectedResourceWatcher.class);

	private final ReferenceQueue<Object> queue = new ReferenceQueue<>();

	private final Consumer<ManagedResource> onCollected;

	private volatile @Nullable Thread thread;

	private volatile boolean closed;

	CollectedResourceWatcher(Consumer<ManagedResource> onCollected) {
		this.onCollected = onCollected;
	}

	/**
	 * The queue to register resources with; starts the watching thread if needed.
	 * @return the reference queue of the watching thread
	 */
	ReferenceQueue<Object> queue() {
		if (this.thread == null && !this.closed) {
			start();
		}
		return this.queue;
	}

	private synchronized void start() {
		if (this.thread == null && !this.closed) {
			Thread watcher = new Thread(this::watch, "disposables-leak-watcher");
			watcher.setDaemon(true);
			this.thread = watcher;
			watcher.start();
		}
	}

	private void watch() {
		while (!this.closed) {
			try {
				Reference<?> reference = this.queue.remove();
				if (reference instanceof ManagedResource resource) {
					this.onCollected.accept(resource);
				}
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RuntimeException ex) {
				logger.warn("Leak watcher failed to process a collected resource", ex);
			}
		}
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		Thread watcher = this.thread;
		if (watcher != null) {
			watcher.interrupt();
		}
	}

}
