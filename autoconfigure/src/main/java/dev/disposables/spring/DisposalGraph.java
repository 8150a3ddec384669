package dev.disposables.spring;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * The order in which live resources are disposed at shutdown: a resource waits for every
 * resource whose bean depends on its bean (Spring's dependent-bean graph — injection,
 * {@code @DependsOn}, {@code @Bean} method references — followed through beans that are
 * not disposable themselves) and for its owner. Everything else may run concurrently.
 *
 * <p>
 * A singleton the starter leaves to Spring (an opted-out destroy method, an
 * infrastructure bean) that depends on a resource is a node too: Spring would destroy it
 * before the beans it uses, so the resources it uses wait for it, and it waits for its
 * own dependents as they do.
 *
 * <p>
 * Circular references (possible with field injection) would leave a cycle that can never
 * start; they are broken the way Spring breaks them, by disposing the most recently
 * created resource of the cycle first.
 */
final class DisposalGraph {

	/** The resources: the first nodes, by creation. */
	private final List<ManagedResource> nodes;

	/**
	 * The nodes after the resources: the name of a singleton Spring still destroys itself
	 * that depends on resources, or {@code null} for a join, which stands for every
	 * instance of a bean name.
	 */
	private final List<@Nullable String> extraNodes;

	/** For each node index: the nodes that must wait for it to finish. */
	private final List<List<Integer>> successors;

	/** For each node index: how many nodes it waits for. */
	private final int[] predecessorCounts;

	private DisposalGraph(List<ManagedResource> nodes, List<@Nullable String> extraNodes,
			List<List<Integer>> successors, int[] predecessorCounts) {
		this.nodes = nodes;
		this.extraNodes = extraNodes;
		this.successors = successors;
		this.predecessorCounts = predecessorCounts;
	}

	/**
	 * Builds the graph of the resources alone.
	 * @param resources the live resources
	 * @param dependentsOf the dependents of a bean name in Spring's graph
	 * ({@code getDependentBeans})
	 * @return the disposal graph of the resources
	 */
	static DisposalGraph build(Collection<ManagedResource> resources, Function<String, String[]> dependentsOf) {
		return build(resources, dependentsOf, (beanName) -> false);
	}

	/**
	 * Builds the graph.
	 * @param resources the live resources
	 * @param dependentsOf the dependents of a bean name in Spring's graph
	 * ({@code getDependentBeans})
	 * @param destroyedBySpring whether a bean that is not a resource is a singleton
	 * Spring still destroys itself; each one that depends on a resource, directly or
	 * through other beans, becomes a node the resource waits for
	 * @return the disposal graph of the resources
	 */
	static DisposalGraph build(Collection<ManagedResource> resources, Function<String, String[]> dependentsOf,
			Predicate<String> destroyedBySpring) {
		List<ManagedResource> nodes = new ArrayList<>(resources);
		nodes.sort((a, b) -> Long.compare(a.id(), b.id()));
		Map<ManagedResource, Integer> index = new HashMap<>();
		Map<String, List<Integer>> byName = new HashMap<>();
		for (int i = 0; i < nodes.size(); i++) {
			index.put(nodes.get(i), i);
			byName.computeIfAbsent(nodes.get(i).springBeanName(), (key) -> new ArrayList<>()).add(i);
		}
		Extras extras = new Extras();
		Map<String, Boolean> isSpringBean = new HashMap<>();
		DependentsClosure closure = new DependentsClosure(dependentsOf,
				(name) -> byName.containsKey(name) || isSpringBean.computeIfAbsent(name, destroyedBySpring::test));
		List<Set<Integer>> mustWaitFor = new ArrayList<>(nodes.size());
		for (int i = 0; i < nodes.size(); i++) {
			mustWaitFor.add(new LinkedHashSet<>(2)); // the resources' entries first
		}
		for (int i = 0; i < nodes.size(); i++) {
			ManagedResource node = nodes.get(i);
			ManagedResource owner = node.owner();
			Integer ownerIndex = (owner != null) ? index.get(owner) : null;
			Set<Integer> waits = mustWaitFor.get(i);
			for (String dependent : closure.of(node.springBeanName())) {
				// An owned instance waits for the instance that owns it, not for every
				// instance of its owner's bean: with N owners, each owning one instance,
				// that would be N * N edges.
				if (ownerIndex == null || !dependent.equals(owner.springBeanName())) {
					waits.add(extras.waitFor(dependent, byName, mustWaitFor));
				}
			}
			if (ownerIndex != null) {
				waits.add(ownerIndex);
			}
			waits.remove(i);
		}
		// A bean Spring destroys waits, like a resource, for what depends on it: Spring
		// destroys a bean's dependents first. The list grows as the walk finds more.
		for (int s = 0; s < extras.springBeans.size(); s++) {
			int self = extras.springBeanIndex(s);
			Set<Integer> waits = mustWaitFor.get(self);
			for (String dependent : closure.of(extras.springBeans.get(s))) {
				waits.add(extras.waitFor(dependent, byName, mustWaitFor));
			}
			waits.remove(self);
		}
		breakCycles(mustWaitFor);
		int size = mustWaitFor.size();
		List<List<Integer>> successors = new ArrayList<>(size);
		int[] predecessorCounts = new int[size];
		for (int i = 0; i < size; i++) {
			successors.add(new ArrayList<>());
		}
		for (int i = 0; i < size; i++) {
			for (int waitFor : mustWaitFor.get(i)) {
				successors.get(waitFor).add(i);
				predecessorCounts[i]++;
			}
		}
		return new DisposalGraph(nodes, extras.names, successors, predecessorCounts);
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

	/**
	 * The resources, which are the first nodes: {@code nodes().get(i)} is node {@code i}.
	 * @return the resources, by creation
	 */
	List<ManagedResource> nodes() {
		return this.nodes;
	}

	/**
	 * The resource of a node.
	 * @param node the index of the node
	 * @return its resource, or {@code null} for a bean Spring destroys itself
	 */
	@Nullable ManagedResource resource(int node) {
		return (node < this.nodes.size()) ? this.nodes.get(node) : null;
	}

	/**
	 * The bean Spring destroys itself that a node stands for.
	 * @param node the index of the node
	 * @return the bean's name, or {@code null} for a resource or a join
	 */
	@Nullable String springBean(int node) {
		return (node < this.nodes.size()) ? null : this.extraNodes.get(node - this.nodes.size());
	}

	/**
	 * How many edges the graph has: linear in its nodes, for a given set of bean
	 * definitions.
	 * @return the number of edges
	 */
	int edgeCount() {
		int edges = 0;
		for (List<Integer> successor : this.successors) {
			edges += successor.size();
		}
		return edges;
	}

	List<Integer> successors(int node) {
		return this.successors.get(node);
	}

	int predecessorCount(int node) {
		return this.predecessorCounts[node];
	}

	int size() {
		return this.predecessorCounts.length;
	}

	/**
	 * The nodes added after the resources, created as the edges need them.
	 */
	private static final class Extras {

		/** By extra node: the Spring bean's name, {@code null} for a join. */
		private final List<@Nullable String> names = new ArrayList<>();

		private final List<String> springBeans = new ArrayList<>();

		private final Map<String, Integer> springIndex = new HashMap<>();

		private final Map<String, Integer> joinIndex = new HashMap<>();

		int springBeanIndex(int springBean) {
			return this.springIndex.get(this.springBeans.get(springBean));
		}

		/**
		 * The node that a node waiting for every node of a bean name waits for: the
		 * bean's only resource, or a join that waits for each of its resources (one edge
		 * per resource, instead of one per resource and waiter), or the node of a bean
		 * Spring destroys.
		 * @param beanName the bean name waited for
		 * @param byName the resources by bean name
		 * @param mustWaitFor the edges, extended with the new node's
		 * @return the node to wait for
		 */
		int waitFor(String beanName, Map<String, List<Integer>> byName, List<Set<Integer>> mustWaitFor) {
			List<Integer> named = byName.get(beanName);
			if (named == null) {
				return this.springIndex.computeIfAbsent(beanName, (key) -> {
					this.springBeans.add(key);
					return add(key, new LinkedHashSet<>(), mustWaitFor);
				});
			}
			if (named.size() == 1) {
				return named.get(0);
			}
			return this.joinIndex.computeIfAbsent(beanName,
					(key) -> add(null, new LinkedHashSet<>(named), mustWaitFor));
		}

		private int add(@Nullable String name, Set<Integer> waits, List<Set<Integer>> mustWaitFor) {
			int index = mustWaitFor.size(); // after the resources' entries
			this.names.add(name);
			mustWaitFor.add(waits);
			return index;
		}

	}

	/**
	 * The dependents of a bean name that are resources themselves, found by walking
	 * Spring's dependents through beans that are not (they are not disposed, but what
	 * depends on them still must finish first).
	 */
	private static final class DependentsClosure {

		private final Function<String, String[]> dependentsOf;

		private final Predicate<String> isNode;

		private final Map<String, String[]> dependents = new HashMap<>();

		/** By bean name: every instance of a bean has the same dependents. */
		private final Map<String, Set<String>> closures = new HashMap<>();

		DependentsClosure(Function<String, String[]> dependentsOf, Predicate<String> isNode) {
			this.dependentsOf = dependentsOf;
			this.isNode = isNode;
		}

		Set<String> of(String beanName) {
			Set<String> known = this.closures.get(beanName);
			if (known != null) {
				return known;
			}
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
					if (this.isNode.test(dependent)) {
						// it waits for its own dependents: no need to look further
						result.add(dependent);
					}
					else {
						pending.add(dependent);
					}
				}
			}
			this.closures.put(beanName, result);
			return result;
		}

		private String[] dependents(String beanName) {
			return this.dependents.computeIfAbsent(beanName, this.dependentsOf);
		}

	}

}
