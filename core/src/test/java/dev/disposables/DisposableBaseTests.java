package dev.disposables;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

// "try": DisposableBase.close() may throw InterruptedException by design.
@SuppressWarnings("try")
class DisposableBaseTests {

	@Test
	void disposalRunsExactlyOnceAndOnlyOneCallerGetsTheFailure() throws Exception {
		int threads = 16;
		int instances = 3_000;
		List<Counting> disposables = new ArrayList<>();
		for (int i = 0; i < instances; i++) {
			disposables.add(new Counting());
		}
		AtomicReferenceArray<Throwable> observed = new AtomicReferenceArray<>(threads * instances);
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int thread = t;
			Thread worker = new Thread(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					return;
				}
				for (int i = 0; i < instances; i++) {
					Counting disposable = disposables.get(i);
					Throwable seen;
					if ((thread + i) % 2 == 0) {
						try {
							disposable.close();
							seen = null;
						}
						catch (Throwable ex) {
							seen = ex;
						}
					}
					else {
						seen = disposable.disposeAsync().handle((ok, e) -> e).toCompletableFuture().join();
					}
					observed.set(thread * instances + i, seen);
				}
			});
			worker.start();
			workers.add(worker);
		}
		start.countDown();
		for (Thread worker : workers) {
			worker.join(30_000);
		}

		for (int i = 0; i < instances; i++) {
			Counting disposable = disposables.get(i);
			assertThat(disposable.coreRuns).as("core runs of #%d", i).hasValue(1);
			int failed = 0;
			for (int t = 0; t < threads; t++) {
				Throwable seen = observed.get(t * instances + i);
				if (seen != null) {
					assertThat(seen).isSameAs(disposable.failure);
					failed++;
				}
			}
			assertThat(failed).as("callers of #%d that got the failure", i).isEqualTo(1);
		}
	}

	@Test
	void isDisposedFromTheMomentDisposalStarts() throws Exception {
		AtomicReference<Boolean> disposedDuringCore = new AtomicReference<>();
		DisposableBase disposable = new DisposableBase() {
			@Override
			protected void disposeCore() {
				disposedDuringCore.set(isDisposed());
			}
		};
		assertThat(disposable.isDisposed()).isFalse();

		disposable.close();

		assertThat(disposedDuringCore).hasValue(true);
		assertThat(disposable.isDisposed()).isTrue();
	}

	@Test
	void ownedChildrenAreDisposedAfterTheCoreInReverseOrderAsyncFirst() throws Exception {
		Recorder recorder = new Recorder();
		Owner owner = new Owner(recorder);
		owner.adopt(recorder.sync("a", null));
		owner.adopt(recorder.async("b", 30, null)); // completes later on another thread
		owner.adopt(recorder.sync("c", null));
		owner.adopt(recorder.async("d", 1, null));

		owner.close();

		assertThat(recorder.events()).containsExactly("core", "start:d", "end:d", "close:c", "start:b", "end:b",
				"close:a");
	}

	@Test
	void anAsyncCoreFinishesBeforeTheChildrenStart() throws Exception {
		Recorder recorder = new Recorder();
		Owner owner = new Owner(recorder);
		owner.adopt(recorder.sync("child", null));
		owner.asyncCore = CompletableFuture.runAsync(() -> recorder.add("async core"),
				CompletableFuture.delayedExecutor(30, TimeUnit.MILLISECONDS));

		owner.disposeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);

		assertThat(recorder.events()).containsExactly("async core", "close:child");
	}

	@Test
	void failuresAreAggregatedAndEveryChildIsAttempted() {
		Recorder recorder = new Recorder();
		Owner owner = new Owner(recorder);
		IOException coreFailure = new IOException("core");
		IOException aFailure = new IOException("a");
		IOException bFailure = new IOException("b");
		owner.coreFailure = coreFailure;
		owner.adopt(recorder.sync("a", aFailure));
		owner.adopt(recorder.async("b", 5, bFailure));
		owner.adopt(recorder.sync("c", null));

		assertThatThrownBy(owner::close).isSameAs(coreFailure);

		assertThat(coreFailure.getSuppressed()).containsExactly(bFailure, aFailure);
		assertThat(recorder.events()).containsExactly("core", "close:c", "start:b", "end:b", "close:a");
	}

	@Test
	void aCoreThatThrowsSynchronouslyFailsTheDisposalAndChildrenAreStillDisposed() {
		Recorder recorder = new Recorder();
		IllegalStateException failure = new IllegalStateException("boom");
		Owner owner = new Owner(recorder) {
			@Override
			protected CompletionStage<?> disposeAsyncCore() {
				throw failure;
			}
		};
		owner.adopt(recorder.sync("child", null));

		CompletionStage<Void> stage = owner.disposeAsync();

		assertThatThrownBy(() -> stage.toCompletableFuture().join()).hasCause(failure);
		assertThat(recorder.events()).containsExactly("close:child");
	}

	@Test
	void aCoreThatReturnsNullFailsTheDisposalWithAClearMessage() {
		Recorder recorder = new Recorder();
		Owner owner = new Owner(recorder) {
			@Override
			protected CompletionStage<?> disposeAsyncCore() {
				return null;
			}
		};
		owner.adopt(recorder.sync("child", null));

		assertThatThrownBy(owner::close).isInstanceOf(NullPointerException.class)
			.hasMessageContaining("disposeAsyncCore()")
			.hasMessageContaining(owner.getClass().getName());
		assertThat(recorder.events()).containsExactly("close:child");
	}

	@Test
	void disposeAsyncFailsWithTheOriginalExceptionNotACompletionException() {
		Recorder recorder = new Recorder();
		Owner owner = new Owner(recorder);
		IOException failure = new IOException("core");
		owner.coreFailure = failure;

		AtomicReference<Throwable> seen = new AtomicReference<>();
		owner.disposeAsync().whenComplete((ok, e) -> seen.set(e));

		assertThat(seen.get()).isSameAs(failure);
	}

	@Test
	void callersCannotCompleteTheSharedDisposal() throws Exception {
		CompletableFuture<Void> core = new CompletableFuture<>();
		Owner owner = new Owner(new Recorder());
		owner.asyncCore = core;

		owner.disposeAsync().toCompletableFuture().complete(null); // a rude caller
		CompletableFuture<Void> second = owner.disposeAsync().toCompletableFuture();

		assertThat(second).isNotDone();
		IOException failure = new IOException("late");
		core.completeExceptionally(failure);
		assertThat(second).isCompleted(); // normally: the failure went to the first
											// caller
		assertThatCode(owner::close).doesNotThrowAnyException();
	}

	@Test
	void owningAfterDisposalStartedThrowsAndLeavesTheChildAlone() throws Exception {
		Recorder recorder = new Recorder();
		Owner owner = new Owner(recorder);
		owner.close();

		AutoCloseable child = recorder.sync("late", null);
		assertThatThrownBy(() -> owner.adopt(child)).isInstanceOf(ObjectDisposedException.class)
			.hasMessage("Cannot access a disposed object: " + owner.getClass().getName());
		assertThat(recorder.events()).containsExactly("core");
	}

	@Test
	void owningNullIsIgnored() throws Exception {
		Owner owner = new Owner(new Recorder());
		assertThat(owner.adopt((AutoCloseable) null)).isNull();
		owner.close();
	}

	@Test
	void throwIfDisposedNamesTheClassByDefault() throws Exception {
		Owner owner = new Owner(new Recorder());
		owner.use(); // does not throw while open
		owner.close();

		assertThatThrownBy(owner::use)
			.isInstanceOfSatisfying(ObjectDisposedException.class,
					(e) -> assertThat(e.getObjectName()).isEqualTo(Owner.class.getName()))
			.hasMessage("Cannot access a disposed object: " + Owner.class.getName());
	}

	@Test
	void throwIfDisposedUsesACustomName() throws Exception {
		Owner owner = new Owner(new Recorder()) {
			@Override
			protected String disposableName() {
				return "orders-db";
			}
		};
		owner.close();

		assertThatThrownBy(owner::use).hasMessage("Cannot access a disposed object: orders-db");
	}

	@Test
	void closeFromWithinTheCoreReturnsInsteadOfDeadlocking() throws Exception {
		AtomicInteger runs = new AtomicInteger();
		DisposableBase disposable = new DisposableBase() {
			@Override
			protected void disposeCore() throws Exception {
				runs.incrementAndGet();
				close(); // re-entrant: must neither wait for itself nor run the core
							// again
			}
		};

		CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
			try {
				disposable.close();
			}
			catch (Exception ex) {
				throw new CompletionException(ex);
			}
		});

		closing.get(5, TimeUnit.SECONDS);
		assertThat(runs).hasValue(1);
	}

	@Test
	void concurrentCloseWaitsForTheDisposalInProgress() throws Exception {
		CompletableFuture<Void> core = new CompletableFuture<>();
		Owner owner = new Owner(new Recorder());
		owner.asyncCore = core;
		owner.disposeAsync(); // started, not finished

		CompletableFuture<Void> secondClose = CompletableFuture.runAsync(() -> {
			try {
				owner.close();
			}
			catch (Exception ex) {
				throw new CompletionException(ex);
			}
		});

		await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> !secondClose.isDone());
		core.complete(null);
		secondClose.get(5, TimeUnit.SECONDS);
	}

	// --- second disposal, concurrent disposal, cycles
	// -----------------------------------------

	@Test
	void aSecondDisposalAfterAFailedOneIsANoOp() throws Exception {
		Recorder recorder = new Recorder();
		Owner owner = new Owner(recorder);
		IOException failure = new IOException("core");
		owner.coreFailure = failure;

		assertThatThrownBy(owner::close).isSameAs(failure);
		assertThatCode(owner::close).doesNotThrowAnyException();
		assertThat(TestThreads.outcome(owner.disposeAsync()).get(5, TimeUnit.SECONDS)).isNull();

		assertThat(recorder.events()).containsExactly("core");
		assertThat(failure.getSuppressed()).isEmpty();
	}

	@Test
	void aSecondDisposeAsyncAfterAFailedOneCompletesNormally() throws Exception {
		Recorder recorder = new Recorder();
		Owner owner = new Owner(recorder);
		IOException failure = new IOException("core");
		owner.asyncCore = CompletableFuture.failedFuture(failure);

		assertThat(TestThreads.outcome(owner.disposeAsync()).get(5, TimeUnit.SECONDS)).isSameAs(failure);
		assertThat(TestThreads.outcome(owner.disposeAsync()).get(5, TimeUnit.SECONDS)).isNull();
		assertThatCode(owner::close).doesNotThrowAnyException();
	}

	@Test
	void anExplicitCloseInsideTryWithResourcesPropagatesTheRealFailure() {
		Recorder recorder = new Recorder();
		IOException failure = new IOException("core");

		Throwable thrown = catchThrowable(() -> {
			try (Owner owner = new Owner(recorder)) {
				owner.coreFailure = failure;
				owner.close(); // the implicit close() that follows must not report it
								// again
			}
		});

		assertThat(thrown).isSameAs(failure); // not IllegalArgumentException:
												// Self-suppression not permitted
		assertThat(failure.getSuppressed()).isEmpty();
		assertThat(recorder.events()).containsExactly("core");
	}

	@Test
	void concurrentCallersWaitForTheDisposalButOnlyTheFirstCallerGetsTheFailure() throws Exception {
		CompletableFuture<Void> core = new CompletableFuture<>();
		Owner owner = new Owner(new Recorder());
		owner.asyncCore = core;
		SharedDisposal.assertLaterCallersWaitAndOnlyTheFirstGetsTheFailure(owner, core);
	}

	@ParameterizedTest(name = "length {0}, via close() {1}, thread hop {2}")
	@CsvSource({ "2, false, false", "3, false, false", "2, true, false", "3, true, false", "2, false, true",
			"3, false, true", "2, true, true", "3, true, true" })
	void anOwnershipCycleCompletesAndDisposesEachMemberOnce(int length, boolean viaClose, boolean hop)
			throws Exception {
		Recorder recorder = new Recorder();
		IOException failure = new IOException("first");
		IOException later = new IOException("later");
		List<Link> ring = new ArrayList<>();
		for (int i = 0; i < length; i++) {
			ring.add(new Link(recorder, "n" + i, (i == 0) ? failure : ((i == length - 1) ? later : null), hop));
		}
		for (int i = 0; i < length; i++) {
			ring.get(i).link(ring.get((i + 1) % length));
		}

		Throwable thrown = viaClose ? TestThreads.close(ring.get(0)).get(5, TimeUnit.SECONDS)
				: TestThreads.outcome(ring.get(0).disposeAsync()).get(5, TimeUnit.SECONDS);

		assertThat(thrown).isSameAs(failure);
		assertThat(failure.getSuppressed()).containsExactly(later);
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < length; i++) {
			expected.add("core:n" + i);
		}
		assertThat(recorder.events()).containsExactlyElementsOf(expected);
		for (Link link : ring) {
			assertThat(TestThreads.close(link).get(5, TimeUnit.SECONDS)).isNull(); // already
																					// disposed:
																					// no-op
		}
		assertThat(recorder.events()).hasSize(length);
	}

	@Test
	void concurrentDisposalsFromBothEndsOfACycleComplete() throws Exception {
		for (int round = 0; round < 200; round++) {
			Recorder recorder = new Recorder();
			IOException failure = new IOException("a");
			boolean hop = round % 2 == 1;
			Link a = new Link(recorder, "a", failure, hop);
			Link b = new Link(recorder, "b", null, hop);
			a.link(b);
			b.link(a);
			List<Throwable> seen = TestThreads.race(List.of(() -> {
				a.close();
				return null;
			}, () -> b.disposeAsync().toCompletableFuture().join()));

			assertThat(recorder.events()).containsExactlyInAnyOrder("core:a", "core:b");
			assertThat(seen).filteredOn(Objects::nonNull).as("one of them, once").containsExactly(failure);
		}
	}

	@Test
	void leakCleanupRunsWhenTheObjectIsCollectedUndisposed() {
		AtomicBoolean freed = new AtomicBoolean();
		WeakReference<NativeHandle> handle = new WeakReference<>(new NativeHandle(freed));

		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
			System.gc();
			return freed.get();
		});
		assertThat(handle.get()).isNull();
	}

	@Test
	void leakCleanupNeverRunsAfterANormalDisposal() throws Exception {
		AtomicBoolean disposedOnesCleanup = new AtomicBoolean();
		AtomicBoolean leakedOnesCleanup = new AtomicBoolean();
		NativeHandle disposed = new NativeHandle(disposedOnesCleanup);
		disposed.close();
		WeakReference<NativeHandle> disposedRef = new WeakReference<>(disposed);
		disposed = null;
		// a leaked control object proves that the Cleaner did get its chance to run
		WeakReference<NativeHandle> leakedRef = new WeakReference<>(new NativeHandle(leakedOnesCleanup));

		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
			System.gc();
			return leakedOnesCleanup.get() && disposedRef.get() == null && leakedRef.get() == null;
		});
		await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> {
			System.gc();
			return !disposedOnesCleanup.get();
		});
	}

	@Test
	void registeringALeakCleanupAfterDisposalThrowsAndNeverRunsIt() throws Exception {
		AtomicBoolean ran = new AtomicBoolean();
		Owner owner = new Owner(new Recorder());
		owner.close();

		assertThatThrownBy(() -> owner.leakCleanup(() -> ran.set(true))).isInstanceOf(ObjectDisposedException.class);
		System.gc();
		assertThat(ran).isFalse();
	}

	/**
	 * A disposable whose sync core fails with its own exception, to tell outcomes apart.
	 */
	static final class Counting extends DisposableBase {

		final AtomicInteger coreRuns = new AtomicInteger();

		final RuntimeException failure = new IllegalStateException("core failed");

		@Override
		protected void disposeCore() {
			this.coreRuns.incrementAndGet();
			Thread.yield(); // widen the window in which a broken gate would let a second
							// caller in
			throw this.failure;
		}

	}

	/** Exposes the protected API to the tests. */
	static class Owner extends DisposableBase {

		final Recorder recorder;

		Exception coreFailure;

		CompletionStage<?> asyncCore;

		Owner(Recorder recorder) {
			this.recorder = recorder;
		}

		<T extends AutoCloseable> T adopt(T child) {
			return own(child);
		}

		void use() {
			throwIfDisposed();
		}

		void leakCleanup(Runnable action) {
			registerLeakCleanup(action);
		}

		@Override
		protected CompletionStage<?> disposeAsyncCore() {
			return (this.asyncCore != null) ? this.asyncCore : super.disposeAsyncCore();
		}

		@Override
		protected void disposeCore() throws Exception {
			this.recorder.add("core");
			if (this.coreFailure != null) {
				throw this.coreFailure;
			}
		}

	}

	/**
	 * A member of an ownership ring: its core logs "core:name", optionally after a thread
	 * hop.
	 */
	static final class Link extends DisposableBase {

		private final Recorder recorder;

		private final String name;

		private final Exception failure;

		private final boolean hop;

		Link(Recorder recorder, String name, Exception failure, boolean hop) {
			this.recorder = recorder;
			this.name = name;
			this.failure = failure;
			this.hop = hop;
		}

		void link(AutoCloseable next) {
			own(next);
		}

		@Override
		protected CompletionStage<?> disposeAsyncCore() {
			CompletableFuture<Void> before = this.hop ? TestThreads.hop() : CompletableFuture.completedFuture(null);
			return before.thenCompose((ignored) -> {
				this.recorder.add("core:" + this.name);
				return (this.failure != null) ? CompletableFuture.failedFuture(this.failure)
						: CompletableFuture.completedFuture(null);
			});
		}

	}

	// --- leak cleanup (Cleaner)
	// -------------------------------------------------------------

	/**
	 * Holds a fake raw handle; the cleanup captures only the handle's flag, never the
	 * object.
	 */
	static final class NativeHandle extends DisposableBase {

		NativeHandle(AtomicBoolean freedByCleaner) {
			registerLeakCleanup(() -> freedByCleaner.set(true));
		}

	}

}
