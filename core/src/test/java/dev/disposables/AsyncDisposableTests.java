package dev.disposables;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// "try": AsyncDisposable.close() may throw InterruptedException by design.
@SuppressWarnings("try")
class AsyncDisposableTests {

	@Test
	void closeRethrowsTheOriginalCheckedException() {
		IOException failure = new IOException("disk gone");
		Secret disposable = new Secret(CompletableFuture.failedFuture(failure));

		assertThatThrownBy(disposable::close).isSameAs(failure);
	}

	@Test
	void closeUnwrapsNestedCompletionAndExecutionExceptions() {
		IOException failure = new IOException("disk gone");
		Secret disposable = new Secret(CompletableFuture
			.failedFuture(new CompletionException(new ExecutionException(new CompletionException(failure)))));

		assertThatThrownBy(disposable::close).isSameAs(failure);
	}

	@Test
	void closeUnwrapsFailuresFromComposedStages() {
		IOException failure = new IOException("flush failed");
		// thenCompose wraps the failure in a CompletionException for dependents
		Secret disposable = new Secret(CompletableFuture.completedFuture(null)
			.thenCompose((ignored) -> CompletableFuture.<Void>failedFuture(failure)));

		assertThatThrownBy(disposable::close).isSameAs(failure);
	}

	@Test
	void closeRethrowsAnErrorAsIs() {
		StackOverflowError error = new StackOverflowError("deep");
		Secret disposable = new Secret(CompletableFuture.failedFuture(error));

		assertThatThrownBy(disposable::close).isSameAs(error);
	}

	@Test
	void closeWaitsForTheStage() throws Exception {
		CompletableFuture<Void> stage = new CompletableFuture<>();
		Secret disposable = new Secret(stage);
		AtomicReference<Boolean> doneWhenCloseReturned = new AtomicReference<>();
		Thread closer = new Thread(() -> {
			try {
				disposable.close();
				doneWhenCloseReturned.set(stage.isDone());
			}
			catch (Exception ex) {
				throw new AssertionError(ex);
			}
		});
		closer.start();
		CompletableFuture.runAsync(() -> stage.complete(null),
				CompletableFuture.delayedExecutor(50, java.util.concurrent.TimeUnit.MILLISECONDS));
		closer.join(5_000);

		assertThat(doneWhenCloseReturned).hasValue(true);
	}

	@Test
	void interruptedWhileWaitingRestoresTheFlagAndThrows() {
		Secret disposable = new Secret(new CompletableFuture<>()); // never completes
		Thread.currentThread().interrupt();
		try {
			assertThatThrownBy(disposable::close).isInstanceOf(InterruptedException.class);
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted(); // leave the test thread clean
		}
	}

	@Test
	void nullStageFailsWithAMessageNamingTheClassOnly() {
		Secret disposable = new Secret(null);

		assertThatThrownBy(disposable::close).isInstanceOf(NullPointerException.class)
			.hasMessageContaining(Secret.class.getName())
			.hasMessageContaining("disposeAsync()")
			.hasMessageNotContaining("hunter2");
	}

	/** toString() fails the test: messages must name the class only. */
	static final class Secret implements AsyncDisposable {

		private final CompletionStage<Void> stage;

		Secret(CompletionStage<Void> stage) {
			this.stage = stage;
		}

		@Override
		public CompletionStage<Void> disposeAsync() {
			return this.stage;
		}

		@Override
		public String toString() {
			throw new AssertionError("toString() must not be called: password=hunter2");
		}

	}

}
