package dev.disposables;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// "try": AsyncDisposable.close() may throw InterruptedException by design.
@SuppressWarnings("try")
class AsyncDisposableTests {

	@ParameterizedTest(name = "{0}")
	@MethodSource("failedStages")
	void closeRethrowsTheOriginalFailure(String stageDescription, CompletionStage<Void> stage, Throwable failure) {
		Secret disposable = new Secret(stage);

		assertThatThrownBy(disposable::close).isSameAs(failure);
	}

	/**
	 * Failed stages and the failure each was given: {@code close()} throws it as it is,
	 * unwrapped from the layers {@code CompletableFuture} adds.
	 * @return the stages
	 */
	static Stream<Arguments> failedStages() {
		IOException checked = new IOException("disk gone");
		IOException nested = new IOException("disk gone");
		IOException composed = new IOException("flush failed");
		StackOverflowError error = new StackOverflowError("deep");
		return Stream.of(Arguments.of("a checked exception", CompletableFuture.failedFuture(checked), checked),
				Arguments.of("nested completion and execution exceptions",
						CompletableFuture.failedFuture(
								new CompletionException(new ExecutionException(new CompletionException(nested)))),
						nested),
				// thenCompose wraps the failure in a CompletionException for dependents
				Arguments.of("a composed stage",
						CompletableFuture.completedFuture(null)
							.thenCompose((ignored) -> CompletableFuture.<Void>failedFuture(composed)),
						composed),
				Arguments.of("an error", CompletableFuture.failedFuture(error), error));
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
