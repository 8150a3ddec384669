package dev.disposables.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.disposables.AsyncDisposable;
import dev.disposables.AsyncDisposableStack;
import dev.disposables.DisposableBase;
import dev.disposables.DisposableStack;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The core types' own cost: create, register {@code members} members, dispose — for
 * {@link DisposableStack}, {@link AsyncDisposableStack} and a {@link DisposableBase}
 * owning its children. Members release nothing, so this is the bookkeeping alone; a
 * regression in it shows here first.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CoreBenchmark
 * </pre>
 */
@State(Scope.Thread)
public class CoreBenchmark extends NanosecondsBenchmark {

	private static final AutoCloseable SYNC_MEMBER = () -> {
	};

	private static final AsyncDisposable ASYNC_MEMBER = new CompletedMember();

	/** How many members each container holds. */
	@Param({ "1", "10", "100" })
	public int members;

	@Benchmark
	public DisposableStack disposableStack() throws Exception {
		DisposableStack stack = new DisposableStack();
		for (int i = 0; i < this.members; i++) {
			stack.use(SYNC_MEMBER);
		}
		stack.close();
		return stack;
	}

	@Benchmark
	public AsyncDisposableStack asyncDisposableStack() {
		AsyncDisposableStack stack = new AsyncDisposableStack();
		for (int i = 0; i < this.members; i++) {
			stack.use(ASYNC_MEMBER);
		}
		stack.disposeAsync().toCompletableFuture().join();
		return stack;
	}

	@Benchmark
	public Owner disposableBase() {
		Owner owner = new Owner();
		for (int i = 0; i < this.members; i++) {
			owner.add(ASYNC_MEMBER);
		}
		owner.disposeAsync().toCompletableFuture().join();
		return owner;
	}

	/**
	 * An async member whose disposal is already complete: no scheduling, only the stacks'
	 * own work.
	 */
	static final class CompletedMember implements AsyncDisposable {

		private static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

		@Override
		public CompletionStage<Void> disposeAsync() {
			return DONE;
		}

	}

	/** A {@link DisposableBase} that owns whatever it is given. */
	public static final class Owner extends DisposableBase {

		void add(AutoCloseable child) {
			own(child);
		}

	}

}
