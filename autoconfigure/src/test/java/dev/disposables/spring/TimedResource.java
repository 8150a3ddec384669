package dev.disposables.spring;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import dev.disposables.AsyncDisposable;

/**
 * Test beans whose disposal takes a given time: async ones complete later without holding
 * a thread, sync ones sleep. Each records the start and end of its disposal in a
 * {@link DisposalJournal}.
 */
final class TimedResource {

	private TimedResource() {
	}

	static Object create(String name, long millis, boolean async, DisposalJournal journal, List<?> dependencies) {
		return async ? new Async(name, millis, journal) : new Sync(name, millis, journal);
	}

	/**
	 * What both kinds have: a name in the journal and how long the disposal takes.
	 */
	abstract static class Timed {

		final String name;

		final long millis;

		final DisposalJournal journal;

		Timed(String name, long millis, DisposalJournal journal) {
			this.name = name;
			this.millis = millis;
			this.journal = journal;
		}

	}

	static final class Async extends Timed implements AsyncDisposable {

		Async(String name, long millis, DisposalJournal journal) {
			super(name, millis, journal);
		}

		@Override
		public CompletionStage<Void> disposeAsync() {
			this.journal.started(this.name);
			return CompletableFuture.runAsync(() -> this.journal.finished(this.name),
					CompletableFuture.delayedExecutor(this.millis, TimeUnit.MILLISECONDS));
		}

	}

	static final class Sync extends Timed implements AutoCloseable {

		Sync(String name, long millis, DisposalJournal journal) {
			super(name, millis, journal);
		}

		@Override
		public void close() throws InterruptedException {
			this.journal.started(this.name);
			Thread.sleep(this.millis); // the simulated work of a blocking close
			this.journal.finished(this.name);
		}

	}

}
