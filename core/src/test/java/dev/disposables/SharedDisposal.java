package dev.disposables;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract every {@link AsyncDisposable} of this module keeps for concurrent callers:
 * one disposal, shared by all of them.
 */
final class SharedDisposal {

	private SharedDisposal() {
	}

	/**
	 * Asserts that callers who come while a disposal is in progress wait for it, through
	 * {@code disposeAsync()} and {@code close()} alike, and that only the first caller
	 * gets its failure.
	 * @param disposable a disposable whose disposal waits for {@code pending}
	 * @param pending completes the disposal; this method fails it
	 * @throws Exception if a caller does not end within 5 seconds
	 */
	static void assertLaterCallersWaitAndOnlyTheFirstGetsTheFailure(AsyncDisposable disposable,
			CompletableFuture<Void> pending) throws Exception {
		CompletableFuture<Throwable> first = TestThreads.outcome(disposable.disposeAsync());

		CompletableFuture<Throwable> secondAsync = TestThreads.outcome(disposable.disposeAsync());
		CompletableFuture<Throwable> secondClose = TestThreads.close(disposable);

		await().during(Duration.ofMillis(100))
			.atMost(Duration.ofSeconds(1))
			.until(() -> !secondAsync.isDone() && !secondClose.isDone());
		IOException failure = new IOException("pending");
		pending.completeExceptionally(failure);
		assertThat(first.get(5, TimeUnit.SECONDS)).isSameAs(failure);
		assertThat(secondAsync.get(5, TimeUnit.SECONDS)).isNull();
		assertThat(secondClose.get(5, TimeUnit.SECONDS)).isNull();
		assertThat(failure.getSuppressed()).isEmpty();
	}

}
