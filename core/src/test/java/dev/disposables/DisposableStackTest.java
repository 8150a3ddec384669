package dev.disposables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DisposableStackTest {

    private final Recorder recorder = new Recorder();

    @Test
    void disposesMembersInReverseOrderOfRegistration() throws Exception {
        DisposableStack stack = new DisposableStack();
        AutoCloseable a = stack.use(recorder.sync("a", null));
        String value = stack.adopt("b", v -> recorder.add("adopt:" + v));
        stack.defer(() -> recorder.add("defer:c"));

        stack.close();

        assertThat(a).isNotNull();
        assertThat(value).isEqualTo("b");
        assertThat(recorder.events()).containsExactly("defer:c", "adopt:b", "close:a");
        assertThat(stack.isDisposed()).isTrue();
    }

    @Test
    void disposesEveryMemberAndThrowsTheFirstFailureWithTheRestSuppressed() {
        DisposableStack stack = new DisposableStack();
        IOException first = new IOException("a");
        IllegalStateException second = new IllegalStateException("b");
        IOException third = new IOException("d");
        stack.use(recorder.sync("a", third));
        stack.use(recorder.sync("b", second));
        stack.use(recorder.sync("c", null));
        stack.use(recorder.sync("d", first));

        assertThatThrownBy(stack::close).isSameAs(first);

        assertThat(first.getSuppressed()).containsExactly(second, third);
        assertThat(recorder.events()).containsExactly("close:d", "close:c", "close:b", "close:a");
    }

    @Test
    void closeIsIdempotentAndReportsTheSameOutcome() {
        DisposableStack stack = new DisposableStack();
        IOException failure = new IOException("a");
        stack.use(recorder.sync("a", failure));

        assertThatThrownBy(stack::close).isSameAs(failure);
        assertThatThrownBy(stack::close).isSameAs(failure);

        assertThat(recorder.events()).containsExactly("close:a");
    }

    @Test
    void concurrentClosesDisposeOnceAndAllWaitForTheOutcome() throws Exception {
        for (int round = 0; round < 200; round++) {
            DisposableStack stack = new DisposableStack();
            AtomicInteger closes = new AtomicInteger();
            IOException failure = new IOException("once");
            stack.defer(() -> {
                closes.incrementAndGet();
                throw failure;
            });
            int threads = 4;
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Throwable>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                        stack.close();
                        return null;
                    } catch (Exception e) {
                        return e;
                    }
                }, runnable -> new Thread(runnable).start()));
            }
            start.countDown();
            for (CompletableFuture<Throwable> result : results) {
                assertThat(result.get(5, TimeUnit.SECONDS)).isSameAs(failure);
            }
            assertThat(closes).hasValue(1);
        }
    }

    @Test
    void registrationAfterDisposalThrows() throws Exception {
        DisposableStack stack = new DisposableStack();
        stack.close();

        assertThatThrownBy(() -> stack.use(recorder.sync("a", null)))
                .isInstanceOf(ObjectDisposedException.class)
                .hasMessageContaining(DisposableStack.class.getName());
        assertThatThrownBy(() -> stack.adopt("b", v -> { })).isInstanceOf(ObjectDisposedException.class);
        assertThatThrownBy(() -> stack.defer(() -> { })).isInstanceOf(ObjectDisposedException.class);
        assertThatThrownBy(stack::move).isInstanceOf(ObjectDisposedException.class);
        assertThat(recorder.events()).isEmpty();
    }

    @Test
    void nullResourcesAreIgnored() throws Exception {
        DisposableStack stack = new DisposableStack();
        assertThat(stack.use((AutoCloseable) null)).isNull();
        stack.use(recorder.sync("a", null));

        stack.close();

        assertThat(recorder.events()).containsExactly("close:a");
    }

    @Test
    void adoptPassesNullValuesToTheDisposer() throws Exception {
        DisposableStack stack = new DisposableStack();
        stack.adopt(null, v -> recorder.add("adopted " + v));

        stack.close();

        assertThat(recorder.events()).containsExactly("adopted null");
    }

    @Test
    void moveTransfersMembersWithoutDisposingThem() throws Exception {
        DisposableStack stack = new DisposableStack();
        stack.use(recorder.sync("a", null));
        stack.use(recorder.sync("b", null));

        DisposableStack moved = stack.move();
        stack.close();

        assertThat(stack.isDisposed()).isTrue();
        assertThat(moved.isDisposed()).isFalse();
        assertThat(recorder.events()).isEmpty();
        moved.use(recorder.sync("c", null));
        moved.close();
        assertThat(recorder.events()).containsExactly("close:c", "close:b", "close:a");
    }

    @Test
    void aMemberClosingItsOwnStackDoesNotDeadlock() throws Exception {
        DisposableStack stack = new DisposableStack();
        stack.defer(() -> recorder.add("first registered"));
        stack.defer(stack::close);

        CompletableFuture.runAsync(() -> {
            try {
                stack.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).get(5, TimeUnit.SECONDS);

        assertThat(recorder.events()).containsExactly("first registered");
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
                } catch (InterruptedException e) {
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
}
