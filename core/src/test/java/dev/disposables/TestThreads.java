package dev.disposables;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Threads for tests that must not hang the build when the code under test deadlocks:
 * every blocking call runs on a daemon thread and the test waits for it with a bounded
 * {@code get}.
 */
final class TestThreads {

	private static final ExecutorService DAEMONS = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "test-daemon");
		thread.setDaemon(true);
		return thread;
	});

	private TestThreads() {
	}

	/** Daemon threads, so a deadlocked task cannot keep the test JVM alive. */
	static Executor daemons() {
		return DAEMONS;
	}

	/**
	 * A stage that completes a few milliseconds later on another thread: a disposal
	 * waiting for it continues on that thread (simulated asynchronous work).
	 */
	static CompletableFuture<Void> hop() {
		return CompletableFuture.runAsync(() -> {
		}, CompletableFuture.delayedExecutor(3, TimeUnit.MILLISECONDS, DAEMONS));
	}

	/**
	 * Calls {@code close()} on a daemon thread; completes with what it threw, or
	 * {@code null}.
	 */
	static CompletableFuture<Throwable> close(AutoCloseable closeable) {
		return CompletableFuture.supplyAsync(() -> {
			try {
				closeable.close();
				return null;
			}
			catch (Throwable failure) {
				return failure;
			}
		}, DAEMONS);
	}

	/**
	 * Runs each call on a daemon thread of its own, all released at once so that they
	 * race.
	 * @param calls what to run
	 * @return what each call threw (unwrapped), or {@code null} where it returned, in the
	 * order of the calls
	 * @throws Exception if a call does not end within 5 seconds
	 */
	static List<Throwable> race(List<Callable<?>> calls) throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		List<CompletableFuture<Throwable>> results = new ArrayList<>();
		for (Callable<?> call : calls) {
			results.add(CompletableFuture.supplyAsync(() -> {
				try {
					start.await();
					call.call();
					return null;
				}
				catch (Throwable failure) {
					return Failures.unwrap(failure);
				}
			}, DAEMONS));
		}
		start.countDown();
		List<Throwable> seen = new ArrayList<>();
		for (CompletableFuture<Throwable> result : results) {
			seen.add(result.get(5, TimeUnit.SECONDS));
		}
		return seen;
	}

	/**
	 * Completes with the failure of {@code stage} (unwrapped), or {@code null} if it
	 * succeeded.
	 */
	static CompletableFuture<Throwable> outcome(CompletionStage<?> stage) {
		return stage.toCompletableFuture().handle((ok, failure) -> (failure != null) ? Failures.unwrap(failure) : null);
	}

}
