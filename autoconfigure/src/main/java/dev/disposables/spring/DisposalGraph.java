package dev.disposables.spring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>
 * Built at every shutdown round, for as many resources as the context holds (tens of
 * thousands in the benchmarks), most of them with no edge at all: the edges are kept in
 * arrays of node indexes, and a node without edges costs no collection of its own.
 */
final class DisposalGraph {

	private static final int[] NO_NODES = {};

	/** The resources: the first nodes, by creation. */
	private final List<ManagedResource> nodes;

	/**
	 * The nodes after the resources: the name of a singleton Spring still destroys itself
	 * that depends on resources, or {@code null} for a join, which stands for every
	 * instance of a bean name.
	 */
	private final List<@Nullable String> extraNodes;

	/**
	 * For each node index: where its successors (the nodes that must wait for it to
	 * finish) start in {@link #successorTargets}; one entry more, at {@link #size()},
	 * where the last node's end.
	 */
	private final int[] successorStart;

	/** The successors of every node, node after node; each node's by index. */
	private final int[] successorTargets;

	/**
	 * For each node index: where its predecessors (the nodes it waits for) start in
	 * {@link #predecessorTargets}; one entry more, at {@link #size()}, where the last
	 * node's end. Built anyway to derive the successors, and kept for the critical-path
	 * analysis.
	 */
	private final int[] predecessorStart;

	/** The predecessors of every node, node after node. */
	private final int[] predecessorTargets;

	private DisposalGraph(List<ManagedResource> nodes, List<@Nullable String> extraNodes, int[] successorStart,
			int[] successorTargets, int[] predecessorStart, int[] predecessorTargets) {
		this.nodes = nodes;
		this.extraNodes = extraNodes;
		this.successorStart = successorStart;
		this.successorTargets = successorTargets;
		this.predecessorStart = predecessorStart;
		this.predecessorTargets = predecessorTargets;
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
		return new Builder(inCreationOrder(resources), dependentsOf, destroyedBySpring).build();
	}

	/**
	 * The resources in the order they were created (by id). Thousands of them are sorted
	 * as primitives, each id's offset from the smallest packed with the resource's
	 * position: a comparator over the objects cost more than the rest of the graph.
	 * @param resources the resources, in any order
	 * @return a new list of them, by id
	 */
	static List<ManagedResource> inCreationOrder(Collection<ManagedResource> resources) {
		ManagedResource[] unordered = resources.toArray(ManagedResource[]::new);
		if (unordered.length == 0) {
			return new ArrayList<>(0);
		}
		long min = Long.MAX_VALUE;
		long max = Long.MIN_VALUE;
		for (ManagedResource resource : unordered) {
			min = Math.min(min, resource.id());
			max = Math.max(max, resource.id());
		}
		int positionBits = 32 - Integer.numberOfLeadingZeros(unordered.length);
		if (max - min < 0 || Long.numberOfLeadingZeros(max - min) <= positionBits) {
			// ids too far apart to pack (a resource older than billions of others)
			List<ManagedResource> nodes = new ArrayList<>(Arrays.asList(unordered));
			nodes.sort((a, b) -> Long.compare(a.id(), b.id()));
			return nodes;
		}
		long[] keys = new long[unordered.length];
		for (int i = 0; i < unordered.length; i++) {
			keys[i] = ((unordered[i].id() - min) << positionBits) | i;
		}
		Arrays.sort(keys);
		long positionMask = (1L << positionBits) - 1;
		List<ManagedResource> nodes = new ArrayList<>(unordered.length);
		for (long key : keys) {
			nodes.add(unordered[(int) (key & positionMask)]);
		}
		return nodes;
	}

	/**
	 * Keeps, of each node's predecessors, the first edge to each other node: a node waits
	 * for another at most once, and never for itself. Edges already removed ({@code -1})
	 * go too.
	 * @param start for each node, where its predecessors start in {@code predecessors}
	 * (one entry more for the end of the last node's); updated
	 * @param predecessors the predecessors of every node, node after node; compacted
	 */
	private static void compact(int[] start, int[] predecessors) {
		int size = start.length - 1;
		int[] seenBy = new int[size]; // the last node (plus one) that kept an edge to it
		int kept = 0;
		int begin = start[0];
		for (int node = 0; node < size; node++) {
			int end = start[node + 1];
			start[node] = kept;
			for (int i = begin; i < end; i++) {
				int predecessor = predecessors[i];
				if (predecessor >= 0 && predecessor != node && seenBy[predecessor] != node + 1) {
					seenBy[predecessor] = node + 1;
					predecessors[kept++] = predecessor;
				}
			}
			begin = end;
		}
		start[size] = kept;
	}

	/**
	 * The successors of each node, from its predecessors: each node's by index, as the
	 * graph runs them.
	 * @param predecessorStart for each node, where its predecessors start in
	 * {@code predecessors} (one entry more for the end of the last node's)
	 * @param predecessors the predecessors of every node, node after node
	 * @param successorStart filled: for each node, where its successors start in the
	 * array returned (one entry more for the end of the last node's)
	 * @return the successors of every node, node after node
	 */
	private static int[] successors(int[] predecessorStart, int[] predecessors, int[] successorStart) {
		int size = predecessorStart.length - 1;
		int edges = predecessorStart[size];
		for (int i = 0; i < edges; i++) {
			successorStart[predecessors[i]]++;
		}
		for (int node = 1; node <= size; node++) {
			successorStart[node] += successorStart[node - 1];
		}
		// Filled backwards, each slot from its node's end: the successors come out in
		// ascending order.
		int[] successors = new int[edges];
		for (int node = size - 1; node >= 0; node--) {
			for (int i = predecessorStart[node + 1] - 1; i >= predecessorStart[node]; i--) {
				successors[--successorStart[predecessors[i]]] = node;
			}
		}
		return successors;
	}

	/**
	 * Kahn's algorithm; whenever it is stuck, the remaining node created last stops
	 * waiting, as Spring would destroy it first.
	 * @param predecessorStart for each node, where its predecessors start in
	 * {@code predecessors} (one entry more for the end of the last node's)
	 * @param predecessors the predecessors of every node, node after node; an edge
	 * removed to break a cycle is set to {@code -1}
	 * @param successorStart for each node, where its successors start in
	 * {@code successors}
	 * @param successors the successors of every node, node after node
	 * @return whether an edge was removed
	 */
	private static boolean breakCycles(int[] predecessorStart, int[] predecessors, int[] successorStart,
			int[] successors) {
		int size = predecessorStart.length - 1;
		int[] remaining = new int[size];
		// Every node enters the queue once: when its last predecessor is done, or as the
		// victim of a cycle (done at once, so that its remaining count no longer
		// matters).
		int[] ready = new int[size];
		int head = 0;
		int tail = 0;
		for (int node = 0; node < size; node++) {
			remaining[node] = predecessorStart[node + 1] - predecessorStart[node];
			if (remaining[node] == 0) {
				ready[tail++] = node;
			}
		}
		boolean[] done = new boolean[size];
		boolean broken = false;
		int highestUnprocessed = size - 1;
		while (head < size) {
			if (head == tail) {
				while (done[highestUnprocessed]) {
					highestUnprocessed--;
				}
				int victim = highestUnprocessed;
				for (int i = predecessorStart[victim]; i < predecessorStart[victim + 1]; i++) {
					if (!done[predecessors[i]]) {
						predecessors[i] = -1;
						broken = true;
					}
				}
				ready[tail++] = victim;
			}
			int next = ready[head++];
			done[next] = true;
			for (int i = successorStart[next]; i < successorStart[next + 1]; i++) {
				int successor = successors[i];
				if (--remaining[successor] == 0 && !done[successor]) {
					ready[tail++] = successor;
				}
			}
		}
		return broken;
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
		return this.successorStart[size()];
	}

	/**
	 * How many nodes wait for a node to finish.
	 * @param node the index of the node
	 * @return the number of its successors
	 */
	int successorCount(int node) {
		return this.successorStart[node + 1] - this.successorStart[node];
	}

	/**
	 * One of the nodes that wait for a node to finish: no list of them, as running the
	 * graph asks for them once per node.
	 * @param node the index of the node
	 * @param i which successor, from {@code 0} to {@link #successorCount} minus one; they
	 * come by index
	 * @return the index of the successor
	 */
	int successor(int node, int i) {
		return this.successorTargets[this.successorStart[node] + i];
	}

	int predecessorCount(int node) {
		return this.predecessorStart[node + 1] - this.predecessorStart[node];
	}

	/**
	 * One of the nodes a node waits for.
	 * @param node the index of the node
	 * @param i which predecessor, from {@code 0} to {@link #predecessorCount} minus one
	 * @return the index of the predecessor
	 */
	int predecessor(int node, int i) {
		return this.predecessorTargets[this.predecessorStart[node] + i];
	}

	int size() {
		return this.predecessorStart.length - 1;
	}

	/**
	 * What the build knows of one bean name: every instance of a bean has the same
	 * dependents, found once.
	 */
	private static final class Name {

		private static final Name[] NONE = {};

		final String name;

		/** Its first resource, or {@code -1} for a bean that is not a resource. */
		int first = -1;

		/** Its last resource so far, where the next is linked. */
		int last;

		/** How many resources it has. */
		int count;

		/** Its dependents in Spring's graph, {@code null} until asked. */
		Name @Nullable [] dependents;

		/**
		 * The dependents that are nodes, through the beans that are not; {@code null}
		 * until asked.
		 */
		Name @Nullable [] closure;

		/**
		 * For a bean that is not a resource: whether Spring destroys it itself;
		 * {@code null} until asked.
		 */
		@Nullable Boolean destroyedBySpring;

		/**
		 * The node that waiting for the bean means, once one waits for it: its only
		 * resource, a join of its resources, or its own node if Spring destroys it.
		 */
		int node = -1;

		/** The last walk of the dependents that reached it. */
		int visited;

		Name(String name) {
			this.name = name;
		}

	}

	/**
	 * The edges as they are found, and the bean names they are found by.
	 */
	private static final class Builder {

		private final List<ManagedResource> nodes;

		private final Function<String, String[]> dependentsOf;

		private final Predicate<String> destroyedBySpring;

		/** Every bean name met: the resources', then those walked through. */
		private final Map<String, Name> names;

		/** By resource: its bean name. */
		private final Name[] resourceNames;

		/**
		 * By resource: the next resource of its bean name. Only once a bean name has
		 * several.
		 */
		private int @Nullable [] nextOfName;

		/**
		 * The nodes after the resources, created as the edges need them: a join for a
		 * bean name with resources, or a bean Spring destroys.
		 */
		private final List<Name> extras = new ArrayList<>();

		/** By edge, in the order found: the node that waits. */
		private int[] edgeWaiters = NO_NODES;

		/** By edge: the node waited for. */
		private int[] edgeTargets = NO_NODES;

		private int edgeCount;

		/** The number of walks of the dependents so far: marks what each visited. */
		private int walks;

		/** The current walk's beans that are not nodes, to walk through. */
		private final List<Name> pending = new ArrayList<>();

		/** The current walk's nodes. */
		private final List<Name> found = new ArrayList<>();

		Builder(List<ManagedResource> nodes, Function<String, String[]> dependentsOf,
				Predicate<String> destroyedBySpring) {
			this.nodes = nodes;
			this.dependentsOf = dependentsOf;
			this.destroyedBySpring = destroyedBySpring;
			this.names = new HashMap<>((int) (nodes.size() / 0.75f) + 1);
			this.resourceNames = new Name[nodes.size()];
		}

		DisposalGraph build() {
			int resources = this.nodes.size();
			for (int i = 0; i < resources; i++) {
				Name name = name(this.nodes.get(i).springBeanName());
				if (name.count == 0) {
					name.first = i;
				}
				else {
					if (this.nextOfName == null) {
						this.nextOfName = new int[resources];
					}
					this.nextOfName[name.last] = i;
				}
				name.last = i;
				name.count++;
				this.resourceNames[i] = name;
			}
			for (int i = 0; i < resources; i++) {
				ManagedResource owner = this.nodes.get(i).owner();
				int ownerIndex = (owner != null) ? indexOf(owner) : -1;
				for (Name dependent : closure(this.resourceNames[i])) {
					// An owned instance waits for the instance that owns it, not for
					// every instance of its owner's bean: with N owners, each owning one
					// instance, that would be N * N edges.
					if (ownerIndex < 0 || !dependent.name.equals(owner.springBeanName())) {
						addEdge(i, waitFor(dependent));
					}
				}
				if (ownerIndex >= 0) {
					addEdge(i, ownerIndex);
				}
			}
			// A bean Spring destroys waits, like a resource, for what depends on it:
			// Spring destroys a bean's dependents first. The list grows as the walk finds
			// more.
			for (int extra = 0; extra < this.extras.size(); extra++) {
				Name bean = this.extras.get(extra);
				if (bean.count == 0) { // not a join, whose edges came with it
					for (Name dependent : closure(bean)) {
						addEdge(resources + extra, waitFor(dependent));
					}
				}
			}
			int size = resources + this.extras.size();
			List<@Nullable String> extraNodes = new ArrayList<>(this.extras.size());
			for (Name extra : this.extras) {
				extraNodes.add((extra.count == 0) ? extra.name : null);
			}
			if (this.edgeCount == 0) {
				// Independent resources, the common case: nothing to order.
				return new DisposalGraph(this.nodes, extraNodes, new int[size + 1], NO_NODES, new int[size + 1],
						NO_NODES);
			}
			int[] predecessorStart = new int[size + 1];
			int[] predecessors = predecessors(predecessorStart);
			compact(predecessorStart, predecessors);
			int[] successorStart = new int[size + 1];
			int[] successors = successors(predecessorStart, predecessors, successorStart);
			if (breakCycles(predecessorStart, predecessors, successorStart, successors)) {
				compact(predecessorStart, predecessors);
				successorStart = new int[size + 1];
				successors = successors(predecessorStart, predecessors, successorStart);
			}
			return new DisposalGraph(this.nodes, extraNodes, successorStart, successors, predecessorStart,
					predecessors);
		}

		/**
		 * The edges found, grouped by the node that waits, each node's in the order
		 * found.
		 * @param start filled: for each node, where its predecessors start in the array
		 * returned (one entry more for the end of the last node's)
		 * @return the predecessors of every node, node after node
		 */
		private int[] predecessors(int[] start) {
			int size = start.length - 1;
			for (int i = 0; i < this.edgeCount; i++) {
				start[this.edgeWaiters[i]]++;
			}
			for (int node = 1; node <= size; node++) {
				start[node] += start[node - 1];
			}
			// Filled backwards, each slot from its node's end: each node's come out in
			// the order found.
			int[] predecessors = new int[this.edgeCount];
			for (int i = this.edgeCount - 1; i >= 0; i--) {
				predecessors[--start[this.edgeWaiters[i]]] = this.edgeTargets[i];
			}
			return predecessors;
		}

		private Name name(String beanName) {
			return this.names.computeIfAbsent(beanName, Name::new);
		}

		/**
		 * The index of a resource among the nodes, which are sorted by id: a binary
		 * search rather than a map from every resource to its index, for the few that
		 * have an owner.
		 * @param resource the resource
		 * @return its index, or {@code -1} if it is not a node (disposed in an earlier
		 * round)
		 */
		private int indexOf(ManagedResource resource) {
			long id = resource.id();
			int low = 0;
			int high = this.nodes.size() - 1;
			while (low <= high) {
				int middle = (low + high) >>> 1;
				if (this.nodes.get(middle).id() < id) {
					low = middle + 1;
				}
				else {
					high = middle - 1;
				}
			}
			for (int i = low; i < this.nodes.size() && this.nodes.get(i).id() == id; i++) {
				if (this.nodes.get(i) == resource) {
					return i;
				}
			}
			return -1;
		}

		/**
		 * The dependents of a bean name that are nodes themselves, found by walking
		 * Spring's dependents through beans that are not (they are not disposed, but what
		 * depends on them still must finish first).
		 * @param bean the bean name
		 * @return the nodes' bean names, by distance
		 */
		private Name[] closure(Name bean) {
			Name[] known = bean.closure;
			if (known != null) {
				return known;
			}
			if (dependents(bean).length == 0) {
				// Most beans: nothing depends on them, and nothing to walk.
				bean.closure = Name.NONE;
				return Name.NONE;
			}
			int walk = ++this.walks;
			bean.visited = walk;
			this.pending.add(bean);
			for (int next = 0; next < this.pending.size(); next++) {
				for (Name dependent : dependents(this.pending.get(next))) {
					if (dependent.visited == walk) {
						continue;
					}
					dependent.visited = walk;
					if (isNode(dependent)) {
						// it waits for its own dependents: no need to look further
						this.found.add(dependent);
					}
					else {
						this.pending.add(dependent);
					}
				}
			}
			Name[] closure = this.found.toArray(Name.NONE);
			this.pending.clear();
			this.found.clear();
			bean.closure = closure;
			return closure;
		}

		private Name[] dependents(Name bean) {
			Name[] known = bean.dependents;
			if (known == null) {
				String[] dependents = this.dependentsOf.apply(bean.name);
				known = (dependents.length != 0) ? new Name[dependents.length] : Name.NONE;
				for (int i = 0; i < dependents.length; i++) {
					known[i] = name(dependents[i]);
				}
				bean.dependents = known;
			}
			return known;
		}

		private boolean isNode(Name bean) {
			if (bean.first >= 0) {
				return true;
			}
			Boolean destroyed = bean.destroyedBySpring;
			if (destroyed == null) {
				destroyed = this.destroyedBySpring.test(bean.name);
				bean.destroyedBySpring = destroyed;
			}
			return destroyed;
		}

		/**
		 * The node that a node waiting for every node of a bean name waits for: the
		 * bean's only resource, or a join that waits for each of its resources (one edge
		 * per resource, instead of one per resource and waiter), or the node of a bean
		 * Spring destroys.
		 * @param bean the bean name waited for
		 * @return the node to wait for
		 */
		private int waitFor(Name bean) {
			if (bean.node >= 0) {
				return bean.node;
			}
			if (bean.count == 1) {
				bean.node = bean.first;
				return bean.node;
			}
			int node = this.nodes.size() + this.extras.size();
			this.extras.add(bean);
			bean.node = node;
			if (bean.count > 1) {
				int[] nextOfName = this.nextOfName;
				int resource = bean.first;
				addEdge(node, resource);
				for (int i = 1; i < bean.count; i++) {
					resource = nextOfName[resource];
					addEdge(node, resource);
				}
			}
			return node;
		}

		private void addEdge(int waiter, int waitedFor) {
			if (this.edgeCount == this.edgeWaiters.length) {
				int capacity = Math.max(16, this.edgeCount * 2);
				this.edgeWaiters = Arrays.copyOf(this.edgeWaiters, capacity);
				this.edgeTargets = Arrays.copyOf(this.edgeTargets, capacity);
			}
			this.edgeWaiters[this.edgeCount] = waiter;
			this.edgeTargets[this.edgeCount] = waitedFor;
			this.edgeCount++;
		}

	}

}
