package dev.disposables;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

class DisposableStackTests {

	private final Recorder recorder = new Recorder();

	@Test
	void disposesMembersInReverseOrderOfRegistration() throws Exception {
		DisposableStack stack = new DisposableStack();
		AutoCloseable a = stack.use(this.recorder.sync("a", null));
		String value = stack.adopt("b", (v) -> this.recorder.add("adopt:" + v));
		stack.defer(() -> this.recorder.add("defer:c"));

		stack.close();

		assertThat(a).isNotNull();
		assertThat(value).isEqualTo("b");
		assertThat(this.recorder.events()).containsExactly("defer:c", "adopt:b", "close:a");
		assertThat(stack.isDisposed()).isTrue();
	}

	@Test
	void disposesEveryMemberAndThrowsTheFirstFailureWithTheRestSuppressed() {
		DisposableStack stack = new DisposableStack();
		IOException first = new IOException("a");
		IllegalStateException second = new IllegalStateException("b");
		IOException third = new IOException("d");
		stack.use(this.recorder.sync("a", third));
		stack.use(this.recorder.sync("b", second));
		stack.use(this.recorder.sync("c", null));
		stack.use(this.recorder.sync("d", first));

		assertThatThrownBy(stack::close).isSameAs(first);

		assertThat(first.getSuppressed()).containsExactly(second, third);
		assertThat(this.recorder.events()).containsExactly("close:d", "close:c", "close:b", "close:a");
	}

	@Test
	void concurrentClosesDisposeOnceAndOnlyOneCallerGetsTheFailure() throws Exception {
		for (int round = 0; round < 200; round++) {
			DisposableStack stack = new DisposableStack();
			AtomicInteger closes = new AtomicInteger();
			IOException failure = new IOException("once");
			stack.defer(() -> {
				closes.incrementAndGet();
				throw failure;
			});
			Callable<?> close = () -> {
				stack.close();
				return null;
			};
			List<Throwable> seen = TestThreads.race(List.of(close, close, close, close));
			assertThat(seen).filteredOn(Objects::nonNull).as("callers that got the failure").containsExactly(failure);
			assertThat(closes).hasValue(1);
		}
	}

	@Test
	void registrationAfterDisposalThrows() throws Exception {
		DisposableStack stack = new DisposableStack();
		stack.close();

		assertThatThrownBy(() -> stack.use(this.recorder.sync("a", null))).isInstanceOf(ObjectDisposedException.class)
			.hasMessageContaining(DisposableStack.class.getName());
		assertThatThrownBy(() -> stack.adopt("b", (v) -> {
		})).isInstanceOf(ObjectDisposedException.class);
		assertThatThrownBy(() -> stack.defer(() -> {
		})).isInstanceOf(ObjectDisposedException.class);
		assertThatThrownBy(stack::move).isInstanceOf(ObjectDisposedException.class);
		assertThat(this.recorder.events()).isEmpty();
	}

	@Test
	void nullResourcesAreIgnored() throws Exception {
		DisposableStack stack = new DisposableStack();
		assertThat(stack.use((AutoCloseable) null)).isNull();
		stack.use(this.recorder.sync("a", null));

		stack.close();

		assertThat(this.recorder.events()).containsExactly("close:a");
	}

	@Test
	void adoptPassesNullValuesToTheDisposer() throws Exception {
		DisposableStack stack = new DisposableStack();
		stack.adopt(null, (v) -> this.recorder.add("adopted " + v));

		stack.close();

		assertThat(this.recorder.events()).containsExactly("adopted null");
	}

	@Test
	void moveTransfersMembersWithoutDisposingThem() throws Exception {
		DisposableStack stack = new DisposableStack();
		stack.use(this.recorder.sync("a", null));
		stack.use(this.recorder.sync("b", null));

		DisposableStack moved = stack.move();
		stack.close();

		assertThat(stack.isDisposed()).isTrue();
		assertThat(moved.isDisposed()).isFalse();
		assertThat(this.recorder.events()).isEmpty();
		moved.use(this.recorder.sync("c", null));
		moved.close();
		assertThat(this.recorder.events()).containsExactly("close:c", "close:b", "close:a");
	}

	@Test
	void aMemberClosingItsOwnStackDoesNotDeadlock() throws Exception {
		DisposableStack stack = new DisposableStack();
		stack.defer(() -> this.recorder.add("first registered"));
		stack.defer(stack::close);

		CompletableFuture.runAsync(() -> {
			try {
				stack.close();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}).get(5, TimeUnit.SECONDS);

		assertThat(this.recorder.events()).containsExactly("first registered");
	}

	@Test
	void registrationIsThreadSafe() throws Exception {
		DisposableStack stack = new DisposableStack();
		AtomicInteger disposed = new AtomicInteger();
		int threads = 8;
		int perThread = 2_000;
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			Thread worker = new Thread(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					return;
				}
				for (int i = 0; i < perThread; i++) {
					stack.defer(disposed::incrementAndGet);
				}
			});
			worker.start();
			workers.add(worker);
		}
		start.countDown();
		for (Thread worker : workers) {
			worker.join(10_000);
		}

		stack.close();

		assertThat(disposed).hasValue(threads * perThread);
	}

	// --- second close, concurrent close, cycles
	// ----------------------------------------------

	@Test
	void aSecondCloseAfterAFailedCloseIsANoOp() {
		DisposableStack stack = new DisposableStack();
		IOException failure = new IOException("a");
		stack.use(this.recorder.sync("a", failure));

		assertThatThrownBy(stack::close).isSameAs(failure);
		assertThatCode(stack::close).doesNotThrowAnyException();
		assertThatCode(stack::close).doesNotThrowAnyException();

		assertThat(this.recorder.events()).containsExactly("close:a");
		assertThat(failure.getSuppressed()).isEmpty();
	}

	@Test
	void anExplicitCloseInsideTryWithResourcesPropagatesTheRealFailure() {
		IOException failure = new IOException("a");

		Throwable thrown = catchThrowable(() -> {
			try (DisposableStack stack = new DisposableStack()) {
				stack.use(this.recorder.sync("a", failure));
				stack.close(); // the implicit close() that follows must not report it
								// again
			}
		});

		assertThat(thrown).isSameAs(failure); // not IllegalArgumentException:
												// Self-suppression not permitted
		assertThat(failure.getSuppressed()).isEmpty();
		assertThat(this.recorder.events()).containsExactly("close:a");
	}

	@Test
	void aConcurrentCloseWaitsForTheDisposalButOnlyTheFirstCallerGetsTheFailure() throws Exception {
		DisposableStack stack = new DisposableStack();
		IOException failure = new IOException("slow");
		CountDownLatch entered = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		stack.defer(() -> {
			entered.countDown();
			release.await();
			throw failure;
		});
		CompletableFuture<Throwable> first = TestThreads.close(stack);
		assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

		CompletableFuture<Throwable> second = TestThreads.close(stack);

		await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> !second.isDone());
		release.countDown();
		assertThat(first.get(5, TimeUnit.SECONDS)).isSameAs(failure);
		assertThat(second.get(5, TimeUnit.SECONDS)).isNull();
	}

	/**
	 * A ring of {@code length} stacks, each using the next. With {@code hop}, the last
	 * one is an {@link AsyncDisposableStack} whose first member completes on another
	 * thread, so the ring closes back on a thread that is not the one that started the
	 * disposal.
	 */
	@ParameterizedTest(name = "length {0}, thread hop {1}")
	@CsvSource({ "2, false", "3, false", "2, true", "3, true" })
	void aCycleOfStacksCompletesAndDisposesEachMemberOnce(int length, boolean hop) throws Exception {
		List<AutoCloseable> ring = new ArrayList<>();
		List<Runnable> links = new ArrayList<>();
		IOException failure = new IOException("first");
		for (int i = 0; i < length; i++) {
			String name = "s" + i;
			Exception own = (i == 0) ? failure : null;
			if (hop && i == length - 1) {
				AsyncDisposableStack stack = new AsyncDisposableStack();
				stack.use(this.recorder.sync(name, own)); // disposed last
				ring.add(stack);
				int next = (i + 1) % length;
				links.add(() -> {
					stack.use(ring.get(next));
					stack.defer(TestThreads::hop); // disposed first: what follows runs on
													// another thread
				});
			}
			else {
				DisposableStack stack = new DisposableStack();
				stack.use(this.recorder.sync(name, own));
				ring.add(stack);
				int next = (i + 1) % length;
				links.add(() -> stack.use(ring.get(next)));
			}
		}
		links.forEach(Runnable::run);

		Throwable thrown = TestThreads.close(ring.get(0)).get(5, TimeUnit.SECONDS);

		assertThat(thrown).isSameAs(failure);
		List<String> expected = new ArrayList<>();
		for (int i = length - 1; i >= 0; i--) {
			expected.add("close:s" + i);
		}
		assertThat(this.recorder.events()).containsExactlyElementsOf(expected);
		for (AutoCloseable member : ring) {
			assertThat(TestThreads.close(member).get(5, TimeUnit.SECONDS)).isNull(); // already
																						// disposed:
																						// no-op
		}
		assertThat(this.recorder.events()).hasSize(length);
	}

	@Test
	void concurrentClosesFromBothEndsOfACycleComplete() throws Exception {
		for (int round = 0; round < 200; round++) {
			Recorder events = new Recorder();
			IOException failure = new IOException("s1");
			DisposableStack s1 = new DisposableStack();
			DisposableStack s2 = new DisposableStack();
			s1.use(events.sync("s1", failure));
			s2.use(events.sync("s2", null));
			s1.use(s2);
			s2.use(s1);
			List<Throwable> seen = TestThreads.race(List.of(() -> {
				s1.close();
				return null;
			}, () -> {
				s2.close();
				return null;
			}));

			assertThat(events.events()).containsExactlyInAnyOrder("close:s1", "close:s2");
			assertThat(seen).filteredOn(Objects::nonNull).as("one of them, once").containsExactly(failure);
		}
	}

}
