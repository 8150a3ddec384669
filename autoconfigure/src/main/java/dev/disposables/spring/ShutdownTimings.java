package dev.disposables.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;

import org.jspecify.annotations.Nullable;

/**
 * When each node of the shutdown's disposal graphs became ready and ended, and what that
 * says afterwards: the critical path and the slowest disposals.
 *
 * <p>
 * Recorded in two arrays per graph (one per round of the shutdown), written once per node
 * by whichever thread starts or finishes it: nothing is kept on the resources themselves,
 * so tracking an instance outside the shutdown costs nothing more.
 */
final class ShutdownTimings {

	private static final Comparator<NodeTime> BY_DURATION = Comparator.comparingLong(NodeTime::duration);

	private final List<Round> rounds = new CopyOnWriteArrayList<>();

	/**
	 * Starts timing the next round's graph.
	 * @param graph the graph of the next round
	 * @return the round that records when the graph's nodes became ready and ended
	 */
	Round round(DisposalGraph graph) {
		Round round = new Round(graph);
		this.rounds.add(round);
		return round;
	}

	/**
	 * The critical path: from the node that ended last, back through the predecessor that
	 * ended last (the one it waited for), to a node that waited for none; a round's first
	 * nodes waited for the previous round's last.
	 * @param shutdownStart when the shutdown started ({@link System#nanoTime()})
	 * @param now when it ended; nodes still running count as ending then
	 * @return the critical path and the slowest disposals
	 */
	Analysis analyze(long shutdownStart, long now) {
		// Primitive arrays and a bounded heap: with thousands of nodes, an object
		// per node cost more than the rest of the report.
		List<Times> byRound = new ArrayList<>(this.rounds.size());
		PriorityQueue<NodeTime> slowest = new PriorityQueue<>(ShutdownReport.SLOWEST_LIMIT + 1, BY_DURATION);
		for (Round round : this.rounds) {
			Times times = round.times(shutdownStart, now);
			byRound.add(times);
			for (int node = 0; node < times.size(); node++) {
				if (times.isReported(node)) {
					long duration = times.duration(node);
					if (slowest.size() < ShutdownReport.SLOWEST_LIMIT || duration > slowest.peek().duration()) {
						slowest.add(new NodeTime(times, node, duration));
						if (slowest.size() > ShutdownReport.SLOWEST_LIMIT) {
							slowest.poll();
						}
					}
				}
			}
		}
		List<NodeTime> ordered = new ArrayList<>(slowest);
		ordered.sort(BY_DURATION.reversed());
		List<DisposalTiming> slowestTimings = new ArrayList<>(ordered.size());
		for (NodeTime entry : ordered) {
			slowestTimings.add(entry.times().timing(entry.node(), shutdownStart, null));
		}
		return new Analysis(criticalPath(byRound, shutdownStart), slowestTimings);
	}

	private static List<DisposalTiming> criticalPath(List<Times> byRound, long shutdownStart) {
		int roundIndex = byRound.size() - 1;
		while (roundIndex >= 0 && byRound.get(roundIndex).last() < 0) {
			roundIndex--;
		}
		if (roundIndex < 0) {
			return List.of();
		}
		List<NodeTime> chain = new ArrayList<>();
		List<@Nullable String> waitedFor = new ArrayList<>();
		int node = byRound.get(roundIndex).last();
		while (node >= 0) {
			Times times = byRound.get(roundIndex);
			chain.add(new NodeTime(times, node, 0));
			int previous = times.latestPredecessor(node);
			while (previous < 0 && roundIndex > 0) {
				// started with its round, which started once the previous round had ended
				roundIndex--;
				previous = byRound.get(roundIndex).last();
			}
			waitedFor.add((previous >= 0) ? byRound.get(roundIndex).name(previous) : null);
			node = previous;
		}
		List<DisposalTiming> path = new ArrayList<>();
		for (int i = chain.size() - 1; i >= 0; i--) {
			NodeTime entry = chain.get(i);
			if (entry.times().isReported(entry.node())) {
				// an anchor disposes nothing, nor is a bean Spring destroys itself the
				// starter's: left out, but named by what waited for it
				path.add(entry.times().timing(entry.node(), shutdownStart, waitedFor.get(i)));
			}
		}
		return path;
	}

	/**
	 * The critical path and the slowest disposals.
	 *
	 * @param criticalPath the disposals of the critical path, in the order they ran
	 * (anchors left out)
	 * @param slowest the slowest disposals, slowest first, at most
	 * {@link ShutdownReport#SLOWEST_LIMIT}
	 */
	record Analysis(List<DisposalTiming> criticalPath, List<DisposalTiming> slowest) {
	}

	/** The times of one graph's nodes. */
	static final class Round {

		private final DisposalGraph graph;

		private final AtomicLongArray ready;

		private final AtomicLongArray ended;

		private Round(DisposalGraph graph) {
			this.graph = graph;
			this.ready = new AtomicLongArray(graph.size());
			this.ended = new AtomicLongArray(graph.size());
		}

		/**
		 * Every node it waits for has ended: the graph starts it now.
		 * @param node the index of the node in the graph
		 */
		void ready(int node) {
			this.ready.set(node, System.nanoTime());
		}

		void ended(int node) {
			this.ended.set(node, System.nanoTime());
		}

		/**
		 * The times of this round's nodes as they are now.
		 * @param shutdownStart when the shutdown started: no disposal counts as starting
		 * before
		 * @param now when the analysis runs: nodes still running count as ending then
		 * @return the times of this round's nodes
		 */
		private Times times(long shutdownStart, long now) {
			int size = this.graph.size();
			long[] start = new long[size];
			long[] end = new long[size];
			for (int node = 0; node < size; node++) {
				long ready = this.ready.get(node);
				if (ready == 0) {
					continue; // never started: not part of any path
				}
				ManagedResource resource = this.graph.resource(node);
				DisposalAttempt attempt = (resource != null) ? resource.attempt() : null;
				// The attempt's start, not the moment the graph handed it over: a sync
				// disposal may have waited for a concurrency permit, and a scope's member
				// may have been started by its scope before the graph got to it.
				start[node] = (attempt != null) ? Math.max(shutdownStart, attempt.startNanos()) : ready;
				long ended = this.ended.get(node);
				end[node] = (ended != 0) ? ended : now;
			}
			return new Times(this.graph, start, end);
		}

	}

	/**
	 * When each node of one round started and ended, {@code 0} for a node that never
	 * started.
	 *
	 * @param graph the round's graph
	 * @param start when each node started
	 * @param end when each node ended
	 */
	private record Times(DisposalGraph graph, long[] start, long[] end) {

		int size() {
			return this.start.length;
		}

		boolean started(int node) {
			return this.start[node] != 0;
		}

		long duration(int node) {
			return this.end[node] - this.start[node];
		}

		boolean isReported(int node) {
			ManagedResource resource = this.graph.resource(node);
			return started(node) && resource != null && resource.kind().isReported();
		}

		@Nullable String name(int node) {
			ManagedResource resource = this.graph.resource(node);
			return (resource != null) ? resource.beanName() : this.graph.springBean(node);
		}

		/**
		 * The node that ended last, or -1.
		 * @return the index of the node that ended last, or -1 if none started
		 */
		int last() {
			int last = -1;
			for (int node = 0; node < size(); node++) {
				if (started(node) && (last < 0 || this.end[node] > this.end[last])) {
					last = node;
				}
			}
			return last;
		}

		/**
		 * The node a node waited for: of its predecessors that started, the one that
		 * ended last.
		 * @param node the index of the node in the graph
		 * @return the index of the predecessor that ended last, or -1 if none started
		 */
		int latestPredecessor(int node) {
			int latest = -1;
			for (int i = 0; i < this.graph.predecessorCount(node); i++) {
				int predecessor = this.graph.predecessor(node, i);
				// on a tie, the lower index, whatever order the graph keeps them in
				if (started(predecessor) && (latest < 0 || this.end[predecessor] > this.end[latest]
						|| (this.end[predecessor] == this.end[latest] && predecessor < latest))) {
					latest = predecessor;
				}
			}
			return latest;
		}

		DisposalTiming timing(int node, long shutdownStart, @Nullable String waitedFor) {
			ManagedResource resource = Objects.requireNonNull(this.graph.resource(node));
			ResourceState state = resource.state();
			ResourceState outcome = (state.isTerminal()) ? state : ResourceState.TIMED_OUT;
			return new DisposalTiming(resource.id(), resource.beanName(), resource.type(), resource.scope(),
					resource.mode(), outcome, Duration.ofNanos(Math.max(0, this.start[node] - shutdownStart)),
					Duration.ofNanos(Math.max(0, this.end[node] - this.start[node])), waitedFor);
		}

	}

	/**
	 * A node of a round, with its duration.
	 *
	 * @param times the round's times
	 * @param node the index of the node in the round's graph
	 * @param duration how long it ran, in nanoseconds
	 */
	private record NodeTime(Times times, int node, long duration) {
	}

}
