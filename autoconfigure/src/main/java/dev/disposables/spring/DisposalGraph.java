package dev.disposables.spring;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The order in which live resources are disposed at shutdown: a resource waits for every
 * resource whose bean depends on its bean (Spring's dependent-bean graph — injection,
 * {@code @DependsOn}, {@code @Bean} method references — followed through beans that are
 * not disposable themselves) and for its owner. Everything else may run concurrently.
 *
 * <p>
 * Circular references (possible with field injection) would leave a cycle that can never
 * start; they are broken the way Spring breaks them, by disposing the most recently
 * created resource of the cycle first.
 */
final class DisposalGraph {

	private final List<ManagedResource> nodes;

	/** For each node index: the nodes that must wait for it to finish. */
	private final List<List<Integer>> successors;

	/** For each node index: how many nodes it waits for. */
	private final int[] predecessorCounts;

	private DisposalGraph(List<ManagedResource> nodes, List<List<Integer>> successors, int[] predecessorCounts) {
		this.nodes = nodes;
		this.successors = successors;
		this.predecessorCounts = predecessorCounts;
	}

	/**
	 * Builds the graph.
	 * @param resources the live resources
	 * @param dependentsOf the dependents of a bean name in Spring's graph
	 * ({@code getDependentBeans})
	 * @return the disposal graph of the resources
	 */
	static DisposalGraph build(Collection<ManagedResource> resources, Function<String, String[]> dependentsOf) {
		List<ManagedResource> nodes = new ArrayList<>(resources);
		nodes.sort((a, b) -> Long.compare(a.id(), b.id()));
		Map<ManagedResource, Integer> index = new HashMap<>();
		Map<String, List<Integer>> byName = new HashMap<>();
		for (int i = 0; i < nodes.size(); i++) {
			index.put(nodes.get(i), i);
			byName.computeIfAbsent(nodes.get(i).springBeanName(), (key) -> new ArrayList<>()).add(i);
		}
		List<Set<Integer>> mustWaitFor = new ArrayList<>(nodes.size());
		DependentsClosure closure = new DependentsClosure(dependentsOf, byName.keySet());
		for (int i = 0; i < nodes.size(); i++) {
			ManagedResource node = nodes.get(i);
			Set<Integer> waits = new LinkedHashSet<>();
			for (String dependent : closure.of(node.springBeanName())) {
				for (int candidate : byName.get(dependent)) {
					if (candidate != i) {
						waits.add(candidate);
					}
				}
			}
			ManagedResource owner = node.owner();
			Integer ownerIndex = (owner != null) ? index.get(owner) : null;
			if (ownerIndex != null) {
				waits.add(ownerIndex);
			}
			mustWaitFor.add(waits);
		}
		breakCycles(mustWaitFor);
		List<List<Integer>> successors = new ArrayList<>(nodes.size());
		int[] predecessorCounts = new int[nodes.size()];
		for (int i = 0; i < nodes.size(); i++) {
			successors.add(new ArrayList<>());
		}
		for (int i = 0; i < nodes.size(); i++) {
			for (int waitFor : mustWaitFor.get(i)) {
				successors.get(waitFor).add(i);
				predecessorCounts[i]++;
			}
		}
		return new DisposalGraph(nodes, successors, predecessorCounts);
	}

	/**
	 * Kahn's algorithm; whenever it is stuck, the remaining node created last stops
	 * waiting, as Spring would destroy it first.
	 * @param mustWaitFor for each node, the nodes it must wait for; edges are removed to
	 * break cycles
	 */
	private static void breakCycles(List<Set<Integer>> mustWaitFor) {
		int size = mustWaitFor.size();
		int[] remaining = new int[size];
		List<List<Integer>> waitedBy = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			waitedBy.add(new ArrayList<>());
		}
		for (int i = 0; i < size; i++) {
			remaining[i] = mustWaitFor.get(i).size();
			for (int waitFor : mustWaitFor.get(i)) {
				waitedBy.get(waitFor).add(i);
			}
		}
		boolean[] done = new boolean[size];
		ArrayDeque<Integer> ready = new ArrayDeque<>();
		for (int i = 0; i < size; i++) {
			if (remaining[i] == 0) {
				ready.add(i);
			}
		}
		int processed = 0;
		int highestUnprocessed = size - 1;
		while (processed < size) {
			if (ready.isEmpty()) {
				while (done[highestUnprocessed]) {
					highestUnprocessed--;
				}
				int victim = highestUnprocessed;
				for (int waitFor : new HashSet<>(mustWaitFor.get(victim))) {
					if (!done[waitFor]) {
						mustWaitFor.get(victim).remove(waitFor);
						waitedBy.get(waitFor).remove(Integer.valueOf(victim));
					}
				}
				remaining[victim] = 0;
				ready.add(victim);
			}
			int next = ready.poll();
			if (done[next]) {
				continue;
			}
			done[next] = true;
			processed++;
			for (int successor : waitedBy.get(next)) {
				if (--remaining[successor] == 0 && !done[successor]) {
					ready.add(successor);
				}
			}
		}
	}

	List<ManagedResource> nodes() {
		return this.nodes;
	}

	List<Integer> successors(int node) {
		return this.successors.get(node);
	}

	int predecessorCount(int node) {
		return this.predecessorCounts[node];
	}

	int size() {
		return this.nodes.size();
	}

	/**
	 * The dependents of a bean name that are resources themselves, found by walking
	 * Spring's dependents through beans that are not (they are not disposed, but what
	 * depends on them still must finish first).
	 */
	private static final class DependentsClosure {

		private final Function<String, String[]> dependentsOf;

		private final Set<String> resourceNames;

		private final Map<String, Set<String>> memo = new HashMap<>();

		DependentsClosure(Function<String, String[]> dependentsOf, Set<String> resourceNames) {
			this.dependentsOf = dependentsOf;
			this.resourceNames = resourceNames;
		}

		Set<String> of(String beanName) {
			Set<String> result = new LinkedHashSet<>();
			Set<String> visited = new HashSet<>();
			ArrayDeque<String> pending = new ArrayDeque<>();
			visited.add(beanName);
			pending.add(beanName);
			while (!pending.isEmpty()) {
				String current = pending.poll();
				for (String dependent : dependents(current)) {
					if (!visited.add(dependent)) {
						continue;
					}
					if (this.resourceNames.contains(dependent)) {
						result.add(dependent); // it waits for its own dependents: no need
												// to look further
					}
					else {
						pending.add(dependent);
					}
				}
			}
			return result;
		}

		private Set<String> dependents(String beanName) {
			return this.memo.computeIfAbsent(beanName,
					(name) -> new LinkedHashSet<>(Arrays.asList(this.dependentsOf.apply(name))));
		}

	}

}
