package dev.disposables;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

class AsyncDisposableStackProperties {

	@Provide
	Arbitrary<List<Member>> members() {
		return Combinators
			.combine(Arbitraries.of(Kind.class), Arbitraries.of(true, false), Arbitraries.integers().between(0, 300))
			.as(Member::new)
			.list()
			.ofMaxSize(12);
	}

	@Property(tries = 200)
	void disposesInExactReverseOrderOneAtATimeAndReportsTheFirstFailure(@ForAll("members") List<Member> members)
			throws Exception {
		Recorder recorder = new Recorder();
		AsyncDisposableStack stack = new AsyncDisposableStack();
		List<MemberFailure> failures = new ArrayList<>();
		for (int i = 0; i < members.size(); i++) {
			Member member = members.get(i);
			MemberFailure failure = member.fails() ? new MemberFailure(i) : null;
			failures.add(failure);
			register(stack, recorder, String.valueOf(i), member, failure);
		}

		AtomicReference<Throwable> seen = new AtomicReference<>();
		CompletableFuture<Void> observed = new CompletableFuture<>();
		stack.disposeAsync().whenComplete((ok, e) -> {
			seen.set(e);
			observed.complete(null);
		});
		observed.get(10, TimeUnit.SECONDS);

		List<String> expectedEvents = new ArrayList<>();
		List<Throwable> expectedFailures = new ArrayList<>();
		for (int i = members.size() - 1; i >= 0; i--) {
			// start before end, and the next member starts only after this one ended
			expectedEvents.add("start:" + i);
			expectedEvents.add("end:" + i);
			if (failures.get(i) != null) {
				expectedFailures.add(failures.get(i));
			}
		}
		assertThat(recorder.events()).containsExactlyElementsOf(expectedEvents);
		Throwable thrown = seen.get();
		if (expectedFailures.isEmpty()) {
			assertThat(thrown).isNull();
		}
		else {
			assertThat(thrown).isSameAs(expectedFailures.get(0));
			assertThat(thrown.getSuppressed())
				.containsExactlyElementsOf(expectedFailures.subList(1, expectedFailures.size()));
		}
	}

	private static void register(AsyncDisposableStack stack, Recorder recorder, String name, Member member,
			MemberFailure failure) {
		switch (member.kind()) {
			case USE_SYNC -> stack.use((AutoCloseable) () -> runSync(recorder, name, failure));
			case USE_ASYNC -> stack.use((AsyncDisposable) () -> runAsync(recorder, name, member, failure));
			case ADOPT_ASYNC -> stack.adopt(name, (v) -> runAsync(recorder, v, member, failure));
			case ADOPT_SYNC -> stack.adoptSync(name, (v) -> runSync(recorder, v, failure));
			case DEFER_ASYNC -> stack.defer(() -> runAsync(recorder, name, member, failure));
			case DEFER_SYNC -> stack.deferSync(() -> runSync(recorder, name, failure));
			case DEFER_ASYNC_THROWING_SYNCHRONOUSLY -> stack.defer(() -> {
				recorder.add("start:" + name);
				recorder.add("end:" + name);
				if (failure != null) {
					throw failure; // a synchronous throw instead of a failed stage
				}
				return CompletableFuture.completedFuture(null);
			});
		}
	}

	private static void runSync(Recorder recorder, String name, MemberFailure failure) {
		recorder.add("start:" + name);
		recorder.add("end:" + name);
		if (failure != null) {
			throw failure;
		}
	}

	private static CompletionStage<Void> runAsync(Recorder recorder, String name, Member member,
			MemberFailure failure) {
		recorder.add("start:" + name);
		CompletableFuture<Void> done = new CompletableFuture<>();
		Runnable finish = () -> {
			recorder.add("end:" + name);
			if (failure == null) {
				done.complete(null);
			}
			else {
				done.completeExceptionally(failure);
			}
		};
		if (member.delayMicros() == 0) {
			finish.run();
		}
		else {
			CompletableFuture.delayedExecutor(member.delayMicros(), TimeUnit.MICROSECONDS).execute(finish);
		}
		return done;
	}

	/** Every way a member can be registered and can finish. */
	enum Kind {

		USE_SYNC, USE_ASYNC, ADOPT_ASYNC, ADOPT_SYNC, DEFER_ASYNC, DEFER_SYNC, DEFER_ASYNC_THROWING_SYNCHRONOUSLY

	}

	/**
	 * {@code delayMicros} 0 completes the stage already completed, on the calling thread.
	 */
	record Member(Kind kind, boolean fails, int delayMicros) {
	}

	/** Unchecked, so that a Supplier can throw it synchronously too. */
	static final class MemberFailure extends RuntimeException {

		private static final long serialVersionUID = 1L;

		MemberFailure(int index) {
			super("member " + index);
		}

	}

}
