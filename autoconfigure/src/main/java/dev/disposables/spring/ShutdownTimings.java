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
		List<Entry> entries = new ArrayList<>();
		List<Entry[]> byRound = new ArrayList<>();
		for (Round round : this.rounds) {
			Entry[] roundEntries = new Entry[round.graph.size()];
			for (int node = 0; node < round.graph.size(); node++) {
				long ready = round.ready.get(node);
				if (ready == 0) {
					continue; // never started: not part of any path
				}
				long ended = round.ended.get(node);
				ManagedResource resource = round.graph.resource(node);
				DisposalAttempt attempt = (resource != null) ? resource.attempt() : null;
				// The attempt's start, not the moment the graph handed it over: a sync
				// disposal may have waited for a concurrency permit, and a scope's member
				// may have been started by its scope before the graph got to it.
				long start = (attempt != null) ? Math.max(shutdownStart, attempt.startNanos()) : ready;
				Entry entry = new Entry(resource, round.graph.springBean(node), start, (ended != 0) ? ended : now);
				roundEntries[node] = entry;
				entries.add(entry);
			}
			byRound.add(roundEntries);
		}
		return new Analysis(criticalPath(byRound, shutdownStart), slowest(entries, shutdownStart));
	}

	private List<DisposalTiming> criticalPath(List<Entry[]> byRound, long shutdownStart) {
		int roundIndex = byRound.size() - 1;
		while (roundIndex >= 0 && last(byRound.get(roundIndex)) < 0) {
			roundIndex--;
		}
		if (roundIndex < 0) {
			return List.of();
		}
		List<Entry> chain = new ArrayList<>();
		List<Entry> waitedFor = new ArrayList<>();
		int node = last(byRound.get(roundIndex));
		while (node >= 0) {
			Entry[] entries = byRound.get(roundIndex);
			Entry entry = entries[node];
			chain.add(entry);
			int previous = this.rounds.get(roundIndex).latestPredecessor(node, entries);
			while (previous < 0 && roundIndex > 0) {
				// started with its round, which started once the previous round had ended
				roundIndex--;
				previous = last(byRound.get(roundIndex));
			}
			waitedFor.add((previous >= 0) ? byRound.get(roundIndex)[previous] : null);
			node = previous;
		}
		List<DisposalTiming> path = new ArrayList<>();
		for (int i = chain.size() - 1; i >= 0; i--) {
			Entry entry = chain.get(i);
			if (entry.isReported()) {
				// an anchor disposes nothing, nor is a bean Spring destroys itself the
				// starter's: left out, but named by what waited for it
				Entry before = waitedFor.get(i);
				path.add(entry.timing(shutdownStart, (before != null) ? before.name() : null));
			}
		}
		return path;
	}

	private static List<DisposalTiming> slowest(List<Entry> entries, long shutdownStart) {
		// The few slowest of possibly thousands: a bounded heap, not a sort of them all.
		Comparator<Entry> byDuration = Comparator.comparingLong((Entry entry) -> entry.end - entry.start);
		PriorityQueue<Entry> slowest = new PriorityQueue<>(ShutdownReport.SLOWEST_LIMIT + 1, byDuration);
		for (Entry entry : entries) {
			if (entry.isReported()) {
				slowest.add(entry);
				if (slowest.size() > ShutdownReport.SLOWEST_LIMIT) {
					slowest.poll();
				}
			}
		}
		List<Entry> ordered = new ArrayList<>(slowest);
		ordered.sort(byDuration.reversed());
		return ordered.stream().map((entry) -> entry.timing(shutdownStart, null)).toList();
	}

	/**
	 * The node that ended last, or -1.
	 * @param entries one round's entries by node, {@code null} for a node that never
	 * started
	 * @return the index of the node that ended last, or -1 if none started
	 */
	private static int last(Entry[] entries) {
		int last = -1;
		for (int i = 0; i < entries.length; i++) {
			if (entries[i] != null && (last < 0 || entries[i].end > entries[last].end)) {
				last = i;
			}
		}
		return last;
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
		 * The node a node waited for: of its predecessors that started, the one that
		 * ended last.
		 * @param node the index of the node in the graph
		 * @param entries the round's entries by node, {@code null} for a node that never
		 * started
		 * @return the index of the predecessor that ended last, or -1 if none started
		 */
		private int latestPredecessor(int node, Entry[] entries) {
			int latest = -1;
			for (int i = 0; i < this.graph.predecessorCount(node); i++) {
				int predecessor = this.graph.predecessor(node, i);
				Entry entry = entries[predecessor];
				// on a tie, the lower index, whatever order the graph keeps them in
				if (entry != null && (latest < 0 || entry.end > entries[latest].end
						|| (entry.end == entries[latest].end && predecessor < latest))) {
					latest = predecessor;
				}
			}
			return latest;
		}

	}

	/**
	 * A node's times.
	 *
	 * @param resource its resource, {@code null} for a bean Spring destroys itself
	 * @param springBean the name of the bean Spring destroys itself, {@code null} for a
	 * resource
	 * @param start when it started
	 * @param end when it ended
	 */
	private record Entry(@Nullable ManagedResource resource, @Nullable String springBean, long start, long end) {

		boolean isReported() {
			return this.resource != null && this.resource.kind().isReported();
		}

		@Nullable String name() {
			return (this.resource != null) ? this.resource.beanName() : this.springBean;
		}

		DisposalTiming timing(long shutdownStart, @Nullable String waitedFor) {
			ManagedResource resource = Objects.requireNonNull(this.resource);
			ResourceState state = resource.state();
			ResourceState outcome = (state.isTerminal()) ? state : ResourceState.TIMED_OUT;
			return new DisposalTiming(resource.id(), resource.beanName(), resource.type(), resource.scope(),
					resource.mode(), outcome, Duration.ofNanos(Math.max(0, this.start - shutdownStart)),
					Duration.ofNanos(Math.max(0, this.end - this.start)), waitedFor);
		}

	}

}
