package dev.disposables;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

// "try": AsyncDisposableStack.close() may throw InterruptedException by design.
@SuppressWarnings("try")
class AsyncDisposableStackTests {

	private final Recorder recorder = new Recorder();

	@Test
	void disposesInReverseOrderAwaitingEachMemberBeforeTheNext() throws Exception {
		AsyncDisposableStack stack = new AsyncDisposableStack();
		stack.use(this.recorder.async("a", 1, null));
		stack.use(this.recorder.sync("b", null)); // a plain AutoCloseable in an async
													// stack
		stack.use(this.recorder.async("c", 40, null)); // finishes long after d started,
														// if not
														// awaited
		stack.adopt("d", (v) -> CompletableFuture.runAsync(() -> this.recorder.add("adopt:" + v),
				CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS)));
		stack.adoptSync("e", (v) -> this.recorder.add("adoptSync:" + v));
		stack.defer(() -> CompletableFuture.runAsync(() -> this.recorder.add("defer:f")));
		stack.deferSync(() -> this.recorder.add("deferSync:g"));

		stack.disposeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);

		assertThat(this.recorder.events()).containsExactly("deferSync:g", "defer:f", "adoptSync:e", "adopt:d",
				"start:c", "end:c", "close:b", "start:a", "end:a");
	}

	@Test
	void asyncMembersAreNeverClosedSynchronously() throws Exception {
		AsyncDisposableStack stack = new AsyncDisposableStack();
		stack.use(this.recorder.async("a", 1, null));

		stack.close();

		assertThat(this.recorder.events()).containsExactly("start:a", "end:a");
	}

	@Test
	void disposalDoesNotHoldTheCallingThread() {
		AsyncDisposableStack stack = new AsyncDisposableStack();
		CompletableFuture<Void> slow = new CompletableFuture<>();
		stack.adopt("x", (v) -> slow);

		CompletionStage<Void> disposal = stack.disposeAsync(); // returns while the member
																// is pending

		assertThat(disposal.toCompletableFuture()).isNotDone();
		slow.complete(null);
		assertThat(disposal.toCompletableFuture()).isCompleted();
	}

	@Test
	void everyMemberIsAttemptedAndFailuresAreAggregatedInDisposalOrder() {
		AsyncDisposableStack stack = new AsyncDisposableStack();
		IOException aFailure = new IOException("a");
		IOException bFailure = new IOException("b");
		IllegalStateException cFailure = new IllegalStateException("c");
		IOException dFailure = new IOException("d");
		stack.use(this.recorder.async("a", 3, aFailure));
		stack.use(this.recorder.sync("b", bFailure));
		stack.defer(() -> {
			throw cFailure; // a synchronous throw from an async callback
		});
		stack.adopt("d", (v) -> CompletableFuture.failedFuture(dFailure));
		stack.deferSync(() -> this.recorder.add("ok"));

		AtomicReference<Throwable> seen = new AtomicReference<>();
		stack.disposeAsync().whenComplete((ok, e) -> seen.set(e)).toCompletableFuture().handle((x, y) -> x).join();

		assertThat(seen.get()).isSameAs(dFailure); // not a CompletionException
		assertThat(dFailure.getSuppressed()).containsExactly(cFailure, bFailure, aFailure);
		assertThat(this.recorder.events()).containsExactly("ok", "close:b", "start:a", "end:a");
	}

	@Test
	void aNullStageFromACallbackIsAFailureNamingTheCallbackClass() {
		AsyncDisposableStack stack = new AsyncDisposableStack();
		stack.use(this.recorder.sync("after", null));
		stack.defer(() -> null);

		assertThatThrownBy(stack::close).isInstanceOf(NullPointerException.class).hasMessageContaining("returned null");
		assertThat(this.recorder.events()).containsExactly("close:after");
	}

	@Test
	void disposalIsIdempotent() throws Exception {
		AsyncDisposableStack stack = new AsyncDisposableStack();
		stack.use(this.recorder.async("a", 1, null));

		stack.close();
		stack.close();
		stack.disposeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);

		assertThat(this.recorder.events()).containsExactly("start:a", "end:a");
	}

	@Test
	void concurrentDisposalsRunOnceAndOnlyOneCallerGetsTheFailure() throws Exception {
		for (int round = 0; round < 200; round++) {
			AsyncDisposableStack stack = new AsyncDisposableStack();
			AtomicInteger runs = new AtomicInteger();
			IOException failure = new IOException("once");
			stack.defer(() -> {
				runs.incrementAndGet();
				return CompletableFuture.failedFuture(failure);
			});
			Callable<?> close = () -> {
				stack.close();
				return null;
			};
			Callable<?> dispose = () -> stack.disposeAsync().toCompletableFuture().join();
			List<Throwable> seen = TestThreads.race(List.of(close, dispose, close, dispose));
			assertThat(seen).filteredOn(Objects::nonNull).as("callers that got the failure").containsExactly(failure);
			assertThat(runs).hasValue(1);
		}
	}

	@Test
	void registrationAfterDisposalThrows() throws Exception {
		AsyncDisposableStack stack = new AsyncDisposableStack();
		stack.close();

		assertThat(stack.isDisposed()).isTrue();
		assertThatThrownBy(() -> stack.use(this.recorder.sync("a", null))).isInstanceOf(ObjectDisposedException.class)
			.hasMessageContaining(AsyncDisposableStack.class.getName());
		assertThatThrownBy(() -> stack.adopt("b", (v) -> CompletableFuture.completedFuture(null)))
			.isInstanceOf(ObjectDisposedException.class);
		assertThatThrownBy(() -> stack.adoptSync("b", (v) -> {
		})).isInstanceOf(ObjectDisposedException.class);
		assertThatThrownBy(() -> stack.defer(() -> CompletableFuture.completedFuture(null)))
			.isInstanceOf(ObjectDisposedException.class);
		assertThatThrownBy(() -> stack.deferSync(() -> {
		})).isInstanceOf(ObjectDisposedException.class);
		assertThatThrownBy(stack::move).isInstanceOf(ObjectDisposedException.class);
	}

	@Test
	void nullResourcesAreIgnored() throws Exception {
		AsyncDisposableStack stack = new AsyncDisposableStack();
		assertThat(stack.use((AsyncDisposable) null)).isNull();
		stack.use(this.recorder.sync("a", null));

		stack.close();

		assertThat(this.recorder.events()).containsExactly("close:a");
	}

	@Test
	void moveTransfersMembersWithoutDisposingThem() throws Exception {
		AsyncDisposableStack stack = new AsyncDisposableStack();
		stack.use(this.recorder.async("a", 1, null));
		stack.use(this.recorder.sync("b", null));

		AsyncDisposableStack moved = stack.move();
		stack.disposeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);

		assertThat(stack.isDisposed()).isTrue();
		assertThat(moved.isDisposed()).isFalse();
		assertThat(this.recorder.events()).isEmpty();
		moved.close();
		assertThat(this.recorder.events()).containsExactly("close:b", "start:a", "end:a");
	}

	@Test
	void manySynchronousMembersDoNotOverflowTheStack() throws Exception {
		AsyncDisposableStack stack = new AsyncDisposableStack();
		AtomicInteger disposed = new AtomicInteger();
		for (int i = 0; i < 100_000; i++) {
			stack.defer(() -> {
				disposed.incrementAndGet();
				return CompletableFuture.completedFuture(null);
			});
		}

		stack.close();

		assertThat(disposed).hasValue(100_000);
	}

	// --- second disposal, concurrent disposal, cycles
	// -----------------------------------------

	@Test
	void aSecondDisposalAfterAFailedOneIsANoOp() throws Exception {
		AsyncDisposableStack stack = new AsyncDisposableStack();
		IOException failure = new IOException("a");
		stack.use(this.recorder.async("a", 1, failure));

		assertThat(TestThreads.outcome(stack.disposeAsync()).get(5, TimeUnit.SECONDS)).isSameAs(failure);
		assertThat(TestThreads.outcome(stack.disposeAsync()).get(5, TimeUnit.SECONDS)).isNull();
		assertThatCode(stack::close).doesNotThrowAnyException();

		assertThat(this.recorder.events()).containsExactly("start:a", "end:a");
		assertThat(failure.getSuppressed()).isEmpty();
	}

	@Test
	void anExplicitCloseInsideTryWithResourcesPropagatesTheRealFailure() {
		IOException failure = new IOException("a");

		Throwable thrown = catchThrowable(() -> {
			try (AsyncDisposableStack stack = new AsyncDisposableStack()) {
				stack.use(this.recorder.async("a", 1, failure));
				stack.close(); // the implicit close() that follows must not report it
								// again
			}
		});

		assertThat(thrown).isSameAs(failure); // not IllegalArgumentException:
												// Self-suppression not permitted
		assertThat(failure.getSuppressed()).isEmpty();
		assertThat(this.recorder.events()).containsExactly("start:a", "end:a");
	}

	@Test
	void concurrentCallersWaitForTheDisposalButOnlyTheFirstCallerGetsTheFailure() throws Exception {
		AsyncDisposableStack stack = new AsyncDisposableStack();
		CompletableFuture<Void> member = new CompletableFuture<>();
		stack.adopt("slow", (v) -> member);
		SharedDisposal.assertLaterCallersWaitAndOnlyTheFirstGetsTheFailure(stack, member);
	}

	/**
	 * A ring of {@code length} async stacks, each using the next. With {@code hop}, each
	 * stack's first member completes on another thread, so the ring closes back on a
	 * different thread.
	 */
	@ParameterizedTest(name = "length {0}, via close() {1}, thread hop {2}")
	@CsvSource({ "2, false, false", "3, false, false", "2, true, false", "3, true, false", "2, false, true",
			"3, false, true", "2, true, true", "3, true, true" })
	void aCycleOfStacksCompletesAndDisposesEachMemberOnce(int length, boolean viaClose, boolean hop) throws Exception {
		List<AsyncDisposableStack> ring = new ArrayList<>();
		IOException failure = new IOException("first");
		IOException later = new IOException("later");
		for (int i = 0; i < length; i++) {
			AsyncDisposableStack stack = new AsyncDisposableStack();
			// disposed last; the deepest member of the ring fails first
			stack.use(this.recorder.sync("s" + i, (i == length - 1) ? failure : ((i == 0) ? later : null)));
			ring.add(stack);
		}
		for (int i = 0; i < length; i++) {
			ring.get(i).use(ring.get((i + 1) % length));
			if (hop) {
				ring.get(i).defer(TestThreads::hop);
			}
		}

		Throwable thrown = viaClose ? TestThreads.close(ring.get(0)).get(5, TimeUnit.SECONDS)
				: TestThreads.outcome(ring.get(0).disposeAsync()).get(5, TimeUnit.SECONDS);

		assertThat(thrown).isSameAs(failure);
		assertThat(failure.getSuppressed()).containsExactly(later);
		List<String> expected = new ArrayList<>();
		for (int i = length - 1; i >= 0; i--) {
			expected.add("close:s" + i);
		}
		assertThat(this.recorder.events()).containsExactlyElementsOf(expected);
		for (AsyncDisposableStack stack : ring) {
			assertThat(TestThreads.outcome(stack.disposeAsync()).get(5, TimeUnit.SECONDS)).isNull();
		}
		assertThat(this.recorder.events()).hasSize(length);
	}

}
