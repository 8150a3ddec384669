package dev.disposables.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Disposes everything still live at context shutdown, within one overall deadline.
 *
 * <ol>
 * <li>Every {@link ShutdownParticipant} is started at once (open scopes, request
 * disposals in flight). One that {@link ShutdownParticipant#ordersByResource() orders by
 * resource} does not hold up the graph; any other one is awaited before the graph
 * starts.</li>
 * <li>The {@link DisposalGraph} of the live resources runs: each resource starts as soon
 * as everything that depends on it has finished. A resource held by a participant (a
 * scope's member) is not started by the graph, only awaited: its container disposes it in
 * its own order, and the beans it uses wait for it.</li>
 * <li>Resources that became live meanwhile (a lazy bean first used inside another bean's
 * {@code close()}) are disposed the same way, round after round, until none remain.</li>
 * <li>At the deadline whatever is unfinished is abandoned; nothing is started on the
 * calling thread.</li>
 * </ol>
 *
 * <p>
 * Each node's start and end are recorded ({@link ShutdownTimings}), so that the report
 * names the critical path: the chain of disposals that decided how long it took. It is
 * logged after the summary line, at INFO when the shutdown took longer than the
 * critical-path threshold, at DEBUG otherwise.
 *
 * <p>
 * The calling thread only waits: the work runs on the starter's threads, so a disposer
 * that blocks forever (and ignores interrupts) cannot keep {@link #run} past the deadline
 * by more than scheduling noise.
 */
final class ShutdownDisposer {

	private static final Log logger = LogFactory.getLog(ShutdownDisposer.class);

	/**
	 * How long abandoned disposers get to react to their interrupt before the ones still
	 * running are reported.
	 */
	private static final Duration INTERRUPT_GRACE = Duration.ofMillis(100);

	/**
	 * How long the shutdown waits, at most, for outcomes that another thread is still
	 * reporting when the deadline comes.
	 */
	private static final Duration REPORT_GRACE = Duration.ofMillis(100);

	private final DisposableRegistry registry;

	private final Function<String, String[]> dependentsOf;

	private final Supplier<List<ShutdownParticipant>> participants;

	private final SpringDestroyedSingletons springDestroyed;

	/** The beans left to Spring that a graph already had Spring destroy. */
	private final Set<String> destroyedBySpring = ConcurrentHashMap.newKeySet();

	/**
	 * The graphs run so far, one per round, so that a run cut short by the deadline can
	 * still report on their resources. Rounds run one after the other.
	 */
	private final List<DisposalGraph> graphs = new CopyOnWriteArrayList<>();

	private final ShutdownTimings timings = new ShutdownTimings();

	/** Set at the deadline: from then on nothing new is started. */
	private volatile boolean stopped;

	ShutdownDisposer(DisposableRegistry registry, Function<String, String[]> dependentsOf,
			Supplier<List<ShutdownParticipant>> participants) {
		this(registry, dependentsOf, participants, SpringDestroyedSingletons.NONE);
	}

	ShutdownDisposer(DisposableRegistry registry, Function<String, String[]> dependentsOf,
			Supplier<List<ShutdownParticipant>> participants, SpringDestroyedSingletons springDestroyed) {
		this.registry = registry;
		this.dependentsOf = dependentsOf;
		this.participants = participants;
		this.springDestroyed = springDestroyed;
	}

	/**
	 * Disposes everything and waits for it, at most {@code deadline}.
	 * @param deadline the overall deadline
	 * @param criticalPathThreshold above this duration, the critical path is logged at
	 * INFO (at DEBUG otherwise)
	 * @return what was done
	 */
	ShutdownReport run(Duration deadline, Duration criticalPathThreshold) {
		this.registry.publishShutdownStarted();
		ShutdownReport report = disposeWithin(deadline);
		logger.info(report.summary());
		if (report.duration().compareTo(criticalPathThreshold) > 0 && !report.criticalPath().isEmpty()) {
			logger.info(report.criticalPathSummary());
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(report.criticalPathSummary());
		}
		List<String> stuck = this.registry.stuckDisposals(INTERRUPT_GRACE);
		if (!stuck.isEmpty()) {
			logger.warn(stuck.size() + " abandoned disposal(s) ignore interrupts and keep running on the starter's "
					+ "daemon threads (they cannot be killed, and do not keep the JVM alive): "
					+ String.join(", ", stuck));
		}
		this.registry.publishShutdown(report);
		return report;
	}

	/**
	 * Disposes everything and waits for it, at most {@code deadline}, without a word:
	 * what {@link #run} does before it logs and tells the listeners.
	 * @param deadline the overall deadline
	 * @return what was done
	 */
	ShutdownReport disposeWithin(Duration deadline) {
		long start = System.nanoTime();
		CompletableFuture<Void> done = CompletableFuture.supplyAsync(this::disposeEverything, this.registry.launcher())
			.thenCompose(Function.identity());
		awaitUntil(done, start + deadline.toNanos());
		this.stopped = true;
		return report(deadline, start, done.isDone());
	}

	private CompletableFuture<Void> disposeEverything() {
		List<CompletableFuture<Void>> all = new ArrayList<>();
		List<CompletableFuture<Void>> barriers = new ArrayList<>();
		for (ShutdownParticipant participant : this.participants.get()) {
			CompletableFuture<Void> stage = start(participant);
			all.add(stage);
			if (!participant.ordersByResource()) {
				barriers.add(stage);
			}
		}
		CompletableFuture<Void> participantsDone = CompletableFuture.allOf(all.toArray(CompletableFuture<?>[]::new));
		CompletableFuture<Void> barriersDone = CompletableFuture.allOf(barriers.toArray(CompletableFuture<?>[]::new));
		if (barriersDone.isDone()) {
			// The usual case (nothing in flight): already on a starter thread, no hop.
			return rounds(participantsDone);
		}
		// Async: a participant's stage may complete on a thread the starter does not own.
		return barriersDone.thenComposeAsync((ignored) -> rounds(participantsDone), this.registry.launcher());
	}

	private static CompletableFuture<Void> start(ShutdownParticipant participant) {
		CompletableFuture<Void> stage;
		try {
			stage = participant.disposeForShutdown().toCompletableFuture();
		}
		catch (RuntimeException ex) {
			stage = CompletableFuture.failedFuture(ex);
		}
		return stage.exceptionally((failure) -> {
			logger.warn("Shutdown participant " + participant.getClass().getName() + " failed", failure);
			return null;
		});
	}

	/**
	 * Disposes the live resources as a graph, then those that became live meanwhile,
	 * until none remain (or the deadline stops it).
	 * @param participantsDone completes once every participant has finished
	 * @return a stage that completes once the last round and every participant have
	 * finished; completed already if called after the deadline
	 */
	private CompletableFuture<Void> rounds(CompletableFuture<Void> participantsDone) {
		if (this.stopped) {
			return CompletableFuture.completedFuture(null);
		}
		List<ManagedResource> live = this.registry.liveResources();
		if (!live.isEmpty() && !this.graphs.isEmpty()) {
			// Each resource is in one graph only. A round starts once every node of the
			// previous one has ended, so this only drops what ended since the listing
			// (and keeps a rare second round exact without tracking every node).
			Set<ManagedResource> inGraphs = byIdentity(resourcesInGraphs());
			live.removeIf(inGraphs::contains);
		}
		if (live.isEmpty()) {
			return participantsDone;
		}
		DisposalGraph graph = DisposalGraph.build(live, this.dependentsOf,
				(beanName) -> !this.destroyedBySpring.contains(beanName) && this.springDestroyed.destroys(beanName));
		this.graphs.add(graph);
		return runGraph(graph, this.timings.round(graph), participantsDone)
			.thenComposeAsync((ignored) -> rounds(participantsDone), this.registry.launcher());
	}

	private CompletableFuture<Void> runGraph(DisposalGraph graph, ShutdownTimings.Round times,
			CompletableFuture<Void> participantsDone) {
		GraphRun run = new GraphRun(graph, times, participantsDone);
		for (int i = 0; i < graph.size(); i++) {
			if (graph.predecessorCount(i) == 0) {
				run.start(i);
			}
		}
		return run.all;
	}

	/**
	 * Has Spring destroy a bean it still destroys itself, on a starter thread (the
	 * engine's unbounded step threads: Spring's callback is not a disposal the starter
	 * times out, and it must not take a disposal permit from the resources it holds
	 * back). The overall deadline still bounds the shutdown.
	 * @param beanName the bean's name
	 * @return a stage that completes once Spring has destroyed it
	 */
	private CompletableFuture<Void> destroyBySpring(String beanName) {
		if (this.stopped || !this.destroyedBySpring.add(beanName)) {
			// Spring's destroySingletons() gets to it
			return CompletableFuture.completedFuture(null);
		}
		return CompletableFuture.runAsync(() -> {
			try {
				this.springDestroyed.destroy(beanName);
			}
			catch (RuntimeException ex) {
				logger.warn("Spring's destruction of bean '" + beanName + "' failed", ex);
			}
		}, this.registry.launcher());
	}

	private void awaitUntil(CompletableFuture<Void> done, long deadlineNanos) {
		try {
			done.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			logger.warn("Shutdown disposal failed", ex.getCause());
		}
		catch (TimeoutException ex) {
			// handled by the report: whatever is not finished is abandoned
		}
	}

	/**
	 * A disposal that ended on another thread just as the deadline came (its own timeout
	 * firing, say) may still be telling the listeners: the deadline then finds it ended
	 * and leaves it alone. Its report is waited for, briefly, so that when the shutdown
	 * returns every outcome has been reported once. Only listeners run there, no
	 * disposer; a listener that hangs costs at most the grace.
	 * @param resources the resources of the shutdown, every one ended by now
	 */
	private static void awaitOutcomesBeingReported(List<ManagedResource> resources) {
		long until = System.nanoTime() + REPORT_GRACE.toNanos();
		for (ManagedResource resource : resources) {
			if (resource.isCompletionSignalled()) {
				continue; // the usual case: no future to create
			}
			CompletableFuture<Void> completion = resource.completion();
			try {
				completion.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (ExecutionException | TimeoutException ex) {
				// failed: reported already; not done in time: reported late
			}
		}
	}

	/**
	 * The resources of every graph run so far, each once (a resource is in one graph
	 * only).
	 * @return a new list of them
	 */
	private List<ManagedResource> resourcesInGraphs() {
		List<ManagedResource> resources = new ArrayList<>();
		for (DisposalGraph graph : this.graphs) {
			for (int node = 0; node < graph.size(); node++) {
				ManagedResource resource = graph.resource(node);
				if (resource != null) {
					resources.add(resource);
				}
			}
		}
		return resources;
	}

	private static Set<ManagedResource> byIdentity(List<ManagedResource> resources) {
		Set<ManagedResource> set = Collections.newSetFromMap(new IdentityHashMap<>());
		set.addAll(resources);
		return set;
	}

	private ShutdownReport report(Duration deadline, long start, boolean completed) {
		// Everything still live is abandoned, including what was never put in a graph
		// (behind a participant that did not finish) and what an abandoned resource owns:
		// nothing is started here, on the closing thread.
		List<ManagedResource> stillLive = this.registry.liveResources();
		for (ManagedResource resource : stillLive) {
			this.registry.abandonAtDeadline(resource, deadline, start);
		}
		int disposed = 0;
		int async = 0;
		int sync = 0;
		int failed = 0;
		int timedOut = 0;
		// Each resource once: every graph node, and what was still live without being
		// one.
		List<ManagedResource> counted = resourcesInGraphs();
		if (!stillLive.isEmpty()) {
			Set<ManagedResource> inGraphs = byIdentity(counted);
			for (ManagedResource resource : stillLive) {
				if (!inGraphs.contains(resource)) {
					counted.add(resource);
				}
			}
		}
		if (!completed || !stillLive.isEmpty()) {
			// Otherwise every node's outcome was reported before the graph ended: nothing
			// to wait for.
			awaitOutcomesBeingReported(counted);
		}
		for (ManagedResource resource : counted) {
			if (!resource.kind().isReported()) {
				// an anchor stands for a bean that is not disposable: it disposes nothing
				continue;
			}
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
		long now = System.nanoTime();
		ShutdownTimings.Analysis analysis = this.timings.analyze(start, now);
		return new ShutdownReport(disposed, async, sync, failed, timedOut, Duration.ofNanos(now - start),
				analysis.criticalPath(), analysis.slowest());
	}

	/**
	 * One graph running: each node starts once the nodes it waits for have ended. A
	 * resource's end is signalled to the graph directly, with no future per node.
	 */
	private final class GraphRun {

		private final DisposalGraph graph;

		private final ShutdownTimings.Round times;

		private final CompletableFuture<Void> participantsDone;

		private final AtomicIntegerArray waiting;

		private final AtomicInteger unfinished;

		private final CompletableFuture<Void> all = new CompletableFuture<>();

		GraphRun(DisposalGraph graph, ShutdownTimings.Round times, CompletableFuture<Void> participantsDone) {
			this.graph = graph;
			this.times = times;
			this.participantsDone = participantsDone;
			this.waiting = new AtomicIntegerArray(graph.size());
			for (int i = 0; i < graph.size(); i++) {
				this.waiting.set(i, graph.predecessorCount(i));
			}
			this.unfinished = new AtomicInteger(graph.size());
		}

		/**
		 * Starts a node. Only hands work over (disposals run on the starter's threads):
		 * safe on whatever thread ended the node's last predecessor.
		 * @param node the index of the node
		 */
		void start(int node) {
			this.times.ready(node);
			ManagedResource resource = this.graph.resource(node);
			String springBean = this.graph.springBean(node);
			if (resource != null) {
				disposeNode(resource);
				resource.whenSignalled(() -> ended(node));
			}
			else if (springBean != null) {
				destroyBySpring(springBean).whenComplete((ignored, failure) -> ended(node));
			}
			else {
				// a join: every resource of a bean has finished
				ended(node);
			}
		}

		private void disposeNode(ManagedResource resource) {
			if (ShutdownDisposer.this.stopped) {
				return; // abandoned at the deadline, which signals it
			}
			if (resource.isContainerHeld()) {
				// Its scope or request disposes it, in that container's order. Should no
				// participant get to it (its container is not one, or failed), the graph
				// does once the participants are done.
				this.participantsDone.whenComplete((ignored, failure) -> {
					if (!ShutdownDisposer.this.stopped) {
						ShutdownDisposer.this.registry.dispose(resource, true);
					}
				});
				return;
			}
			ShutdownDisposer.this.registry.startAtShutdown(resource);
		}

		private void ended(int node) {
			this.times.ended(node);
			for (int i = 0; i < this.graph.successorCount(node); i++) {
				int successor = this.graph.successor(node, i);
				if (this.waiting.decrementAndGet(successor) == 0) {
					start(successor);
				}
			}
			if (this.unfinished.decrementAndGet() == 0) {
				this.all.complete(null);
			}
		}

	}

}
