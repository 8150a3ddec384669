package dev.disposables.spring;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * The threads disposals run on: a bounded pool for blocking (sync) disposals and a small one that only starts async
 * disposals, so that an async disposer that blocks by mistake cannot stall the others or a timeout.
 * Both use virtual threads on JDK 21+ and daemon platform threads before that: a disposer that never returns must
 * not keep the JVM alive.
 */
final class DisposalExecutors implements AutoCloseable {

	private static final int LAUNCHER_THREADS = 4;

	private final ThreadPoolExecutor blocking;

	private final ThreadPoolExecutor launcher;

	DisposalExecutors(int maxConcurrency) {
		this.blocking = new ThreadPoolExecutor(maxConcurrency, maxConcurrency, 10, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), threadFactory("disposables-dispose-"), DisposalExecutors::runInCaller);
		this.blocking.allowCoreThreadTimeOut(true);
		// Starting an async disposal is quick, so a few threads suffice; a disposeAsync() that blocks by mistake
		// holds one of them while the others go on.
		this.launcher = new ThreadPoolExecutor(LAUNCHER_THREADS, LAUNCHER_THREADS, 10, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), threadFactory("disposables-launch-"), DisposalExecutors::runInCaller);
		this.launcher.allowCoreThreadTimeOut(true);
	}

	/** Where sync disposals run; at most {@code maxConcurrency} at a time. */
	Executor blocking() {
		return this.blocking;
	}

	/** Where async disposals are started and successors are scheduled; never blocks a caller. */
	Executor launcher() {
		return this.launcher;
	}

	@Override
	public void close() {
		// Threads still blocked in a disposer that ignores interrupts are daemon: they cannot keep the JVM alive.
		this.blocking.shutdownNow();
		this.launcher.shutdownNow();
	}

	/**
	 * A disposal submitted after the executors were closed (Spring destroying a bean after the registry) still runs,
	 * on the caller's thread: nothing is silently dropped.
	 */
	private static void runInCaller(Runnable task, ThreadPoolExecutor executor) {
		task.run();
	}

	private static ThreadFactory threadFactory(String prefix) {
		ThreadFactory virtual = virtualThreadFactory(prefix);
		if (virtual != null) {
			return virtual;
		}
		AtomicInteger counter = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * {@code Thread.ofVirtual().name(prefix, 1).factory()}, called reflectively because the code is compiled for
	 * Java 17; {@code null} before JDK 21.
	 */
	private static @Nullable ThreadFactory virtualThreadFactory(String prefix) {
		try {
			Class<?> builderType = Class.forName("java.lang.Thread$Builder");
			Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
			builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix, 1L);
			return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

}
