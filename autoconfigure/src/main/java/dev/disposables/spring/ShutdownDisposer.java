package dev.disposables.spring;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Disposes everything still live at context shutdown: first the {@link ShutdownParticipant}s (open scopes, request
 * disposals in flight), then the {@link DisposalGraph} — each resource as soon as everything that depends on it has
 * finished, async ones started at once, sync ones on the bounded executor — all within one overall deadline.
 *
 * <p>The calling thread only waits: the work is started on the launcher executor, so even a disposer that blocks
 * forever (and ignores interrupts) cannot keep {@link #run} past the deadline by more than scheduling noise.
 */
final class ShutdownDisposer {

	private static final Log logger = LogFactory.getLog(ShutdownDisposer.class);

	private final DisposableRegistry registry;

	private final Function<String, String[]> dependentsOf;

	/** The graph's nodes once built, so that a run cut short by the deadline can still report on them. */
	private volatile List<ManagedResource> graphNodes = List.of();

	ShutdownDisposer(DisposableRegistry registry, Function<String, String[]> dependentsOf) {
		this.registry = registry;
		this.dependentsOf = dependentsOf;
	}

	/**
	 * Disposes everything and waits for it, at most {@code deadline}.
	 * @param deadline the overall deadline
	 * @return what was done
	 */
	ShutdownReport run(Duration deadline) {
		long start = System.nanoTime();
		long deadlineNanos = start + deadline.toNanos();
		CompletableFuture<List<ManagedResource>> disposed = CompletableFuture
			.supplyAsync(this::disposeParticipants, this.registry.launcher())
			.thenCompose(Function.identity()) // wait until the participants have finished
			.thenCompose((ignored) -> disposeGraph());
		List<ManagedResource> nodes = awaitNodes(disposed, deadlineNanos);
		ShutdownReport report = report(nodes, deadline, start);
		logger.info(report.summary());
		this.registry.publishShutdown(report);
		return report;
	}

	private CompletableFuture<Void> disposeParticipants() {
		List<ShutdownParticipant> participants = this.registry.participants();
		CompletableFuture<?>[] stages = new CompletableFuture<?>[participants.size()];
		for (int i = 0; i < stages.length; i++) {
			ShutdownParticipant participant = participants.get(i);
			CompletableFuture<Void> stage;
			try {
				stage = participant.disposeForShutdown().toCompletableFuture();
			}
			catch (RuntimeException ex) {
				stage = CompletableFuture.failedFuture(ex);
			}
			stages[i] = stage.exceptionally((failure) -> {
				logger.warn("Shutdown participant " + participant.getClass().getName() + " failed", failure);
				return null;
			});
		}
		return CompletableFuture.allOf(stages);
	}

	private CompletableFuture<List<ManagedResource>> disposeGraph() {
		DisposalGraph graph = DisposalGraph.build(this.registry.liveResources(), this.dependentsOf);
		CompletableFuture<List<ManagedResource>> all = new CompletableFuture<>();
		this.graphNodes = graph.nodes();
		if (graph.size() == 0) {
			all.complete(graph.nodes());
			return all;
		}
		AtomicInteger[] waiting = new AtomicInteger[graph.size()];
		for (int i = 0; i < graph.size(); i++) {
			waiting[i] = new AtomicInteger(graph.predecessorCount(i));
		}
		AtomicInteger unfinished = new AtomicInteger(graph.size());
		for (int i = 0; i < graph.size(); i++) {
			if (graph.predecessorCount(i) == 0) {
				start(graph, i, waiting, unfinished, all);
			}
		}
		return all;
	}

	private void start(DisposalGraph graph, int node, AtomicInteger[] waiting, AtomicInteger unfinished,
			CompletableFuture<List<ManagedResource>> all) {
		ManagedResource resource = graph.nodes().get(node);
		Runnable dispose = () -> this.registry.dispose(resource, true).whenComplete((ignored, failure) -> {
			for (int successor : graph.successors(node)) {
				if (waiting[successor].decrementAndGet() == 0) {
					start(graph, successor, waiting, unfinished, all);
				}
			}
			if (unfinished.decrementAndGet() == 0) {
				all.complete(graph.nodes());
			}
		});
		if (resource.mode() == DisposalMode.SYNC) {
			dispose.run(); // only hands the work to the bounded executor: safe on any thread
		}
		else {
			// User code runs when an async disposal starts: on the launcher, so that one that blocks by mistake
			// holds a launcher thread, not the completion thread of another disposal or of the timeout scheduler.
			this.registry.launcher().execute(dispose);
		}
	}

	private List<ManagedResource> awaitNodes(CompletableFuture<List<ManagedResource>> disposed, long deadlineNanos) {
		try {
			return disposed.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			logger.warn("Shutdown disposal failed", ex.getCause());
		}
		catch (TimeoutException ex) {
			// handled below: whatever is not finished is abandoned
		}
		return this.graphNodes;
	}

	private ShutdownReport report(List<ManagedResource> nodes, Duration deadline, long start) {
		// Resources not in the graph yet (the participants did not finish) are abandoned as well.
		List<ManagedResource> stillLive = this.registry.liveResources();
		for (ManagedResource resource : stillLive) {
			this.registry.abandon(resource, deadline, start);
		}
		int disposed = 0;
		int async = 0;
		int sync = 0;
		int failed = 0;
		int timedOut = 0;
		Set<ManagedResource> counted = new HashSet<>(nodes);
		counted.addAll(stillLive);
		for (ManagedResource resource : counted) {
			switch (resource.state()) {
				case DISPOSED -> {
					disposed++;
					if (resource.mode() == DisposalMode.ASYNC) {
						async++;
					}
					else {
						sync++;
					}
				}
				case FAILED -> failed++;
				case TIMED_OUT -> timedOut++;
				default -> {
				}
			}
		}
		return new ShutdownReport(disposed, async, sync, failed, timedOut, Duration.ofNanos(System.nanoTime() - start));
	}

}
