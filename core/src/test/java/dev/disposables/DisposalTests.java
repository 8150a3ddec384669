package dev.disposables;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DisposalTests {

	private final Recorder recorder = new Recorder();

	/** The failure a stage completed with, exactly as a whenComplete callback sees it. */
	private static Throwable failureOf(CompletionStage<?> stage) throws Exception {
		AtomicReference<Throwable> seen = new AtomicReference<>();
		CompletableFuture<Void> observed = new CompletableFuture<>();
		stage.whenComplete((ok, e) -> {
			seen.set(e);
			observed.complete(null);
		});
		observed.get(5, TimeUnit.SECONDS);
		return seen.get();
	}

	// --- using
	// ---------------------------------------------------------------------------------

	@Test
	void usingDisposesAfterTheBodyAndReturnsItsResult() throws Exception {
		Recorder.Async resource = this.recorder.async("r", 5, null);
		CompletableFuture<String> body = new CompletableFuture<>();

		CompletionStage<String> result = Disposal.using(() -> resource, (r) -> body);

		assertThat(this.recorder.events()).isEmpty(); // body still running: not disposed
														// yet
		body.complete("done");
		assertThat(result.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("done");
		assertThat(this.recorder.events()).containsExactly("start:r", "end:r"); // async-first,
		// finished
	}

	@Test
	void usingCompletesOnlyAfterDisposalFinished() throws Exception {
		CompletableFuture<Void> disposal = new CompletableFuture<>();
		AsyncDisposable resource = () -> disposal;

		CompletionStage<String> result = Disposal.using(() -> resource, (r) -> CompletableFuture.completedFuture("x"));

		assertThat(result.toCompletableFuture()).isNotDone();
		disposal.complete(null);
		assertThat(result.toCompletableFuture()).isCompletedWithValue("x");
	}

	@Test
	void usingFailsWithTheSupplierFailureAndRunsNothing() throws Exception {
		IOException failure = new IOException("no connection");

		CompletionStage<String> result = Disposal.using(() -> {
			throw failure;
		}, (r) -> {
			this.recorder.add("body");
			return CompletableFuture.completedFuture("x");
		});

		assertThat(failureOf(result)).isSameAs(failure);
		assertThat(this.recorder.events()).isEmpty();
	}

	@Test
	void usingDisposesWhenTheBodyThrowsSynchronously() throws Exception {
		IllegalStateException failure = new IllegalStateException("body");

		CompletionStage<String> result = Disposal.using(() -> this.recorder.sync("r", null), (r) -> {
			throw failure;
		});

		assertThat(failureOf(result)).isSameAs(failure);
		assertThat(this.recorder.events()).containsExactly("close:r");
	}

	@Test
	void usingDisposesWhenTheBodyReturnsNull() throws Exception {
		CompletionStage<String> result = Disposal.using(() -> this.recorder.sync("r", null), (r) -> null);

		assertThat(failureOf(result)).isInstanceOf(NullPointerException.class).hasMessageContaining("returned null");
		assertThat(this.recorder.events()).containsExactly("close:r");
	}

	@Test
	void usingReportsTheBodyFailureWithTheDisposalFailureSuppressed() throws Exception {
		IOException bodyFailure = new IOException("body");
		IOException disposalFailure = new IOException("dispose");

		CompletionStage<String> result = Disposal.using(() -> this.recorder.async("r", 2, disposalFailure),
				(r) -> CompletableFuture.completedFuture("x")
					.thenCompose((x) -> CompletableFuture.failedFuture(bodyFailure)));

		Throwable failure = failureOf(result);
		assertThat(failure).isSameAs(bodyFailure); // unwrapped from thenCompose's
													// CompletionException
		assertThat(failure.getSuppressed()).containsExactly(disposalFailure);
		assertThat(this.recorder.events()).containsExactly("start:r", "end:r");
	}

	@Test
	void usingFailsWithTheDisposalFailureWhenTheBodySucceeds() throws Exception {
		IOException disposalFailure = new IOException("dispose");

		CompletionStage<String> result = Disposal.using(() -> this.recorder.sync("r", disposalFailure),
				(r) -> CompletableFuture.completedFuture("x"));

		assertThat(failureOf(result)).isSameAs(disposalFailure);
	}

	@Test
	void usingRunsTheBodyWithANullResource() throws Exception {
		CompletionStage<String> result = Disposal.using(() -> (AutoCloseable) null,
				(r) -> CompletableFuture.completedFuture((r != null) ? "not null" : "null"));

		assertThat(result.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("null");
	}

	// --- disposeAsync
	// ----------------------------------------------------------------------------

	@Test
	void disposeAsyncPrefersDisposeAsyncOverClose() throws Exception {
		Disposal.disposeAsync(this.recorder.async("a", 1, null)).toCompletableFuture().get(5, TimeUnit.SECONDS);

		assertThat(this.recorder.events()).containsExactly("start:a", "end:a");
	}

	@Test
	void disposeAsyncClosesAnAutoCloseableOnTheCallingThread() {
		AtomicReference<Thread> closer = new AtomicReference<>();

		CompletionStage<Void> stage = Disposal.disposeAsync((AutoCloseable) () -> closer.set(Thread.currentThread()));

		assertThat(stage.toCompletableFuture()).isCompleted();
		assertThat(closer).hasValue(Thread.currentThread());
	}

	@Test
	void disposeAsyncOfNullCompletes() {
		assertThat(Disposal.disposeAsync(null).toCompletableFuture()).isCompleted();
	}

	@Test
	void disposeAsyncRejectsUnknownTypesNamingTheClassOnly() {
		Object notDisposable = new Object() {
			@Override
			public String toString() {
				return "password=hunter2";
			}
		};

		assertThatThrownBy(() -> Disposal.disposeAsync(notDisposable)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining(notDisposable.getClass().getName())
			.hasMessageNotContaining("hunter2");
	}

	@Test
	void disposeAsyncTurnsAThrowingDisposerIntoAFailedStage() throws Exception {
		IOException closeFailure = new IOException("close");
		IllegalStateException asyncFailure = new IllegalStateException("disposeAsync");

		CompletionStage<Void> closed = Disposal.disposeAsync(this.recorder.sync("a", closeFailure));
		CompletionStage<Void> disposed = Disposal.disposeAsync((AsyncDisposable) () -> {
			throw asyncFailure;
		});

		assertThat(failureOf(closed)).isSameAs(closeFailure);
		assertThat(failureOf(disposed)).isSameAs(asyncFailure);
	}

	@Test
	void disposeAsyncTurnsANullStageIntoAFailedStageNamingTheClass() throws Exception {
		AsyncDisposable returnsNull = () -> null;

		CompletionStage<Void> stage = Disposal.disposeAsync(returnsNull);

		assertThat(failureOf(stage)).isInstanceOf(NullPointerException.class)
			.hasMessageContaining(returnsNull.getClass().getName())
			.hasMessageContaining("disposeAsync()");
	}

	@Test
	void disposeAsyncUnwrapsCompositionWrappers() throws Exception {
		IOException failure = new IOException("flush");
		AsyncDisposable composed = () -> CompletableFuture.completedFuture(null)
			.thenCompose((x) -> CompletableFuture.failedFuture(failure));

		assertThat(failureOf(Disposal.disposeAsync(composed))).isSameAs(failure);
	}

	@Test
	void disposeAsyncWithAnExecutorRunsBlockingCloseThere() throws Exception {
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			AtomicReference<Thread> closer = new AtomicReference<>();
			Thread executorThread = executor.submit(Thread::currentThread).get();

			Disposal.disposeAsync((AutoCloseable) () -> closer.set(Thread.currentThread()), executor)
				.toCompletableFuture()
				.get(5, TimeUnit.SECONDS);

			assertThat(closer).hasValue(executorThread);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void disposeAsyncWithAnExecutorCallsDisposeAsyncOnTheCallingThread() throws Exception {
		AtomicReference<Thread> caller = new AtomicReference<>();
		AsyncDisposable resource = () -> {
			caller.set(Thread.currentThread());
			return CompletableFuture.completedFuture(null);
		};

		Disposal.disposeAsync(resource, (runnable) -> {
			throw new AssertionError("the executor is for blocking close() only");
		}).toCompletableFuture().get(5, TimeUnit.SECONDS);

		assertThat(caller).hasValue(Thread.currentThread());
	}

	@Test
	void disposeAsyncWithAnExecutorReportsFailuresAndRejections() throws Exception {
		IOException failure = new IOException("close");
		RejectedExecutionException rejected = new RejectedExecutionException("full");

		CompletionStage<Void> failed = Disposal.disposeAsync(this.recorder.sync("a", failure), Runnable::run);
		CompletionStage<Void> notRun = Disposal.disposeAsync(this.recorder.sync("b", null), (runnable) -> {
			throw rejected;
		});

		assertThat(failureOf(failed)).isSameAs(failure);
		assertThat(failureOf(notRun)).isSameAs(rejected);
		assertThat(this.recorder.events()).containsExactly("close:a");
		assertThatThrownBy(() -> Disposal.disposeAsync(new Object(), Runnable::run))
			.isInstanceOf(IllegalArgumentException.class);
	}

}
