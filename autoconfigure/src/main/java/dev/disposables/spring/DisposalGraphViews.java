package dev.disposables.spring;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Builds the {@link DisposalGraphView} of the live resources: the very
 * {@link DisposalGraph} the shutdown would build, each edge labelled with why it is
 * there.
 */
final class DisposalGraphViews {

	private final Function<String, String[]> dependentsOf;

	private final ObservedDependencies observed;

	private final Map<String, String[]> dependents = new HashMap<>();

	private DisposalGraphViews(Function<String, String[]> dependentsOf, ObservedDependencies observed) {
		this.dependentsOf = dependentsOf;
		this.observed = observed;
	}

	/**
	 * The graph of the oldest {@code limit} live resources (edges to the others are left
	 * out).
	 * @param live the live resources
	 * @param dependentsOf the names of a bean's dependents in Spring's dependent-bean
	 * graph
	 * @param observed the dependencies the starter recorded itself, to label the edges
	 * @param limit the most resources to include, oldest first
	 * @return the graph
	 */
	static DisposalGraphView build(List<ManagedResource> live, Function<String, String[]> dependentsOf,
			ObservedDependencies observed, int limit) {
		return new DisposalGraphViews(dependentsOf, observed).build(live, limit);
	}

	private DisposalGraphView build(List<ManagedResource> live, int limit) {
		List<ManagedResource> selected = oldest(live, limit);
		DisposalGraph graph = DisposalGraph.build(selected, this.dependentsOf);
		Set<String> resourceNames = new HashSet<>();
		for (ManagedResource resource : graph.nodes()) {
			resourceNames.add(resource.springBeanName());
		}
		List<DisposalGraphView.Node> nodes = new ArrayList<>(graph.nodes().size());
		List<DisposalGraphView.Edge> edges = new ArrayList<>();
		Map<String, Map<String, List<String>>> declaredPaths = new HashMap<>();
		Map<String, Map<String, List<String>>> allPaths = new HashMap<>();
		for (int waitedFor = 0; waitedFor < graph.nodes().size(); waitedFor++) {
			ManagedResource first = graph.nodes().get(waitedFor);
			nodes.add(node(first));
			for (int waiterIndex : waiters(graph, waitedFor)) {
				ManagedResource waiter = graph.nodes().get(waiterIndex);
				if (waiter.owner() == first) {
					edges.add(new DisposalGraphView.Edge(waiter.id(), first.id(), DisposalGraphView.Reason.OWNERSHIP,
							List.of()));
					continue;
				}
				String from = waiter.springBeanName();
				String to = first.springBeanName();
				List<String> via = declaredPaths.computeIfAbsent(from, (name) -> paths(name, resourceNames, true))
					.get(to);
				DisposalGraphView.Reason reason = DisposalGraphView.Reason.DECLARED;
				if (via == null) {
					via = allPaths.computeIfAbsent(from, (name) -> paths(name, resourceNames, false)).get(to);
					reason = DisposalGraphView.Reason.OBSERVED;
				}
				edges.add(new DisposalGraphView.Edge(waiter.id(), first.id(), reason, (via != null) ? via : List.of()));
			}
		}
		nodes.sort(Comparator.comparingLong(DisposalGraphView.Node::id));
		edges.sort(Comparator.comparingLong(DisposalGraphView.Edge::waitsFor)
			.thenComparingLong(DisposalGraphView.Edge::waiter));
		return new DisposalGraphView(nodes, edges, live.size());
	}

	/**
	 * The resources that wait for a resource, directly or through a join (which the graph
	 * adds so that the edges between the instances of two bean names are not their cross
	 * product; the view shows what each instance waits for).
	 * @param graph the graph, built without beans left to Spring
	 * @param node the index of a resource
	 * @return the indexes of the resources waiting for it
	 */
	private static List<Integer> waiters(DisposalGraph graph, int node) {
		List<Integer> waiters = new ArrayList<>();
		for (int i = 0; i < graph.successorCount(node); i++) {
			int successor = graph.successor(node, i);
			if (graph.resource(successor) != null) {
				waiters.add(successor);
			}
			else {
				for (int j = 0; j < graph.successorCount(successor); j++) {
					waiters.add(graph.successor(successor, j));
				}
			}
		}
		return waiters;
	}

	private static DisposalGraphView.Node node(ManagedResource resource) {
		boolean anchor = resource.kind() == ResourceKind.ANCHOR;
		return new DisposalGraphView.Node(resource.id(), resource.beanName(), resource.type(), resource.scope(),
				anchor ? null : resource.mode(), resource.state(), anchor);
	}

	/**
	 * From a bean, the shortest way through Spring's dependents (only through beans that
	 * are not resources, as the graph walks them) to each resource bean that depends on
	 * it: resource bean name to the beans in between.
	 * @param start the bean name to start from
	 * @param resourceNames the bean names of the graph's resources
	 * @param declaredOnly whether to follow Spring's declared dependencies only, leaving
	 * out those the starter recorded
	 * @return the beans in between, by resource bean name
	 */
	private Map<String, List<String>> paths(String start, Set<String> resourceNames, boolean declaredOnly) {
		Map<String, @Nullable String> parents = new HashMap<>();
		Map<String, List<String>> paths = new HashMap<>();
		ArrayDeque<String> pending = new ArrayDeque<>();
		parents.put(start, null);
		pending.add(start);
		while (!pending.isEmpty()) {
			String current = pending.poll();
			for (String dependent : dependents(current)) {
				if (parents.containsKey(dependent) || (declaredOnly && this.observed.isObserved(current, dependent))) {
					continue;
				}
				parents.put(dependent, current);
				if (resourceNames.contains(dependent)) {
					paths.put(dependent, between(parents, start, current));
				}
				else {
					pending.add(dependent);
				}
			}
		}
		return paths;
	}

	private static List<String> between(Map<String, @Nullable String> parents, String start, String last) {
		List<String> via = new ArrayList<>();
		for (String current = last; current != null && !current.equals(start); current = parents.get(current)) {
			via.add(0, DisposableRegistry.displayName(current));
		}
		return via;
	}

	private String[] dependents(String beanName) {
		return this.dependents.computeIfAbsent(beanName, this.dependentsOf);
	}

	/**
	 * The {@code limit} resources with the lowest ids, without sorting them all.
	 * @param live the live resources
	 * @param limit how many to keep
	 * @return those resources, in no particular order
	 */
	private static List<ManagedResource> oldest(List<ManagedResource> live, int limit) {
		if (live.size() <= limit) {
			return live;
		}
		PriorityQueue<ManagedResource> oldest = new PriorityQueue<>(Math.max(1, limit),
				Comparator.comparingLong(ManagedResource::id).reversed());
		for (ManagedResource resource : live) {
			if (oldest.size() < limit) {
				oldest.add(resource);
			}
			else if (limit > 0 && resource.id() < oldest.peek().id()) {
				oldest.poll();
				oldest.add(resource);
			}
		}
		return new ArrayList<>(oldest);
	}

}
