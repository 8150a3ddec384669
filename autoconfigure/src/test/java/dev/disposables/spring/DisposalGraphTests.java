package dev.disposables.spring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DisposalGraph} on its own: which resource waits for which (Spring's dependents,
 * followed through beans that are not resources; ownership; a join for the instances of
 * one bean name), how a cycle is broken, and that independent resources get no edge.
 */
class DisposalGraphTests {

	private static final String[] NONE = {};

	private long sequence;

	@Test
	void independentResourcesHaveNoEdges() {
		List<ManagedResource> resources = new ArrayList<>();
		for (int i = 0; i < 1_000; i++) {
			resources.add(resource("bean" + i));
		}
		resources.add(resource("bean0")); // a second instance changes nothing
		List<String> asked = new ArrayList<>();
		DisposalGraph graph = DisposalGraph.build(resources, (name) -> {
			asked.add(name);
			return NONE;
		});
		assertThat(graph.size()).isEqualTo(resources.size()); // no join: nothing waits
		assertThat(graph.nodes()).containsExactlyElementsOf(resources);
		assertThat(graph.edgeCount()).isZero();
		for (int node = 0; node < graph.size(); node++) {
			assertThat(graph.predecessorCount(node)).isZero();
			assertThat(graph.successorCount(node)).isZero();
		}
		assertThat(asked).hasSize(1_000).doesNotHaveDuplicates(); // once per bean name
	}

	@Test
	void nodesAreTheResourcesByCreation() {
		List<ManagedResource> resources = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			resources.add(resource("bean" + i));
		}
		List<ManagedResource> shuffled = new ArrayList<>(resources);
		Collections.shuffle(shuffled, new Random(42));
		assertThat(DisposalGraph.build(shuffled, (name) -> NONE).nodes()).containsExactlyElementsOf(resources);
	}

	@Property(tries = 200)
	void creationOrderIsTheOrderOfIds(@ForAll @Size(max = 300) List<@LongRange(min = 0, max = Long.MAX_VALUE) Long> ids,
			@ForAll boolean spreadWide) {
		// Ids close together are sorted packed as primitives, ids far apart by
		// comparison:
		// both give the order of the ids.
		List<ManagedResource> resources = new ArrayList<>();
		Set<Long> seen = new HashSet<>();
		for (Long id : ids) {
			long unique = spreadWide ? id : id % 100_000;
			if (seen.add(unique)) {
				Object instance = new Object();
				resources.add(new ManagedResource(unique, instance, meta("bean"), true, null));
			}
		}
		List<ManagedResource> expected = new ArrayList<>(resources);
		expected.sort(Comparator.comparingLong(ManagedResource::id));
		assertThat(DisposalGraph.inCreationOrder(resources)).containsExactlyElementsOf(expected);
	}

	@Test
	void aResourceWaitsForTheResourcesThatDependOnItThroughBeansThatAreNot() {
		ManagedResource pool = resource("pool");
		ManagedResource store = resource("store");
		// The store uses the pool through a template, which is not a resource; the store
		// is named twice, as well.
		Function<String, String[]> dependents = dependents(
				Map.of("pool", List.of("template"), "template", List.of("store", "store")));
		DisposalGraph graph = DisposalGraph.build(List.of(pool, store), dependents);
		assertThat(graph.size()).isEqualTo(2);
		assertThat(graph.edgeCount()).isOne();
		assertThat(successors(graph, 1)).containsExactly(0); // the pool after the store
		assertThat(graph.predecessorCount(0)).isOne();
		assertThat(graph.predecessorCount(1)).isZero();
	}

	@Test
	void aBeanSpringDestroysInBetweenIsANode() {
		ManagedResource pool = resource("pool");
		ManagedResource store = resource("store");
		Function<String, String[]> dependents = dependents(
				Map.of("pool", List.of("template"), "template", List.of("store")));
		DisposalGraph graph = DisposalGraph.build(List.of(pool, store), dependents, "template"::equals);
		assertThat(graph.size()).isEqualTo(3);
		assertThat(graph.resource(2)).isNull();
		assertThat(graph.springBean(2)).isEqualTo("template");
		// the store, then the template, then the pool
		assertThat(successors(graph, 1)).containsExactly(2);
		assertThat(successors(graph, 2)).containsExactly(0);
		assertThat(graph.edgeCount()).isEqualTo(2);
	}

	@Test
	void anOwnedInstanceWaitsOnlyForItsOwner() {
		int count = 100;
		List<ManagedResource> outers = new ArrayList<>();
		List<ManagedResource> inners = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ManagedResource inner = resource("inner");
			ManagedResource outer = resource("outer");
			inner.setOwner(outer);
			inners.add(inner);
			outers.add(outer);
		}
		List<ManagedResource> resources = new ArrayList<>(inners);
		resources.addAll(outers);
		DisposalGraph graph = DisposalGraph.build(resources, dependents(Map.of("inner", List.of("outer"))));
		assertThat(graph.size()).isEqualTo(2 * count); // no join of the outers
		assertThat(graph.edgeCount()).isEqualTo(count); // not count * count
		for (int i = 0; i < count; i++) {
			int inner = graph.nodes().indexOf(inners.get(i));
			int outer = graph.nodes().indexOf(outers.get(i));
			assertThat(graph.predecessorCount(inner)).isOne();
			assertThat(successors(graph, outer)).containsExactly(inner);
		}
	}

	@Test
	void anInstanceWhoseOwnerIsNoNodeWaitsForEveryInstanceOfTheOwnersBean() {
		ManagedResource gone = resource("outer"); // disposed in an earlier round
		ManagedResource inner = resource("inner");
		ManagedResource outer = resource("outer");
		ManagedResource other = resource("outer");
		inner.setOwner(gone);
		DisposalGraph graph = DisposalGraph.build(List.of(inner, outer, other),
				dependents(Map.of("inner", List.of("outer"))));
		assertThat(graph.size()).isEqualTo(4);
		assertThat(graph.resource(3)).isNull(); // the join of the outers
		assertThat(graph.springBean(3)).isNull();
		assertThat(successors(graph, 3)).containsExactly(0);
		assertThat(successors(graph, 1)).containsExactly(3);
		assertThat(successors(graph, 2)).containsExactly(3);
	}

	@Test
	void theInstancesOfABeanNameAreWaitedForThroughOneJoin() {
		List<ManagedResource> resources = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			resources.add(resource("conn"));
		}
		resources.add(resource("user"));
		resources.add(resource("user"));
		DisposalGraph graph = DisposalGraph.build(resources, dependents(Map.of("conn", List.of("user"))));
		assertThat(graph.size()).isEqualTo(6);
		int join = 5;
		assertThat(graph.resource(join)).isNull();
		assertThat(graph.springBean(join)).isNull();
		assertThat(successors(graph, 3)).containsExactly(join);
		assertThat(successors(graph, 4)).containsExactly(join);
		assertThat(graph.predecessorCount(join)).isEqualTo(2);
		assertThat(successors(graph, join)).containsExactly(0, 1, 2);
		for (int conn = 0; conn < 3; conn++) {
			assertThat(graph.predecessorCount(conn)).isOne();
		}
		assertThat(graph.edgeCount()).isEqualTo(5); // 2 + 3, not 2 * 3
	}

	@Test
	void aCycleIsBrokenByTheResourceCreatedLast() {
		ManagedResource a = resource("a");
		ManagedResource b = resource("b");
		ManagedResource c = resource("c");
		ManagedResource loner = resource("loner"); // created last, but in no cycle
		// a depends on b, b on c, c on a: each waits for the one that depends on it
		Function<String, String[]> dependents = dependents(
				Map.of("b", List.of("a"), "c", List.of("b"), "a", List.of("c")));
		DisposalGraph graph = DisposalGraph.build(List.of(a, b, c, loner), dependents);
		assertThat(graph.predecessorCount(2)).isZero(); // c stops waiting for b
		assertThat(successors(graph, 2)).containsExactly(0); // then a
		assertThat(successors(graph, 0)).containsExactly(1); // then b
		assertThat(successors(graph, 1)).isEmpty();
		assertThat(graph.edgeCount()).isEqualTo(2);
		assertThat(graph.predecessorCount(3)).isZero();
	}

	@Test
	void aCycleThroughAJoinIsBroken() {
		ManagedResource first = resource("a");
		ManagedResource second = resource("a");
		ManagedResource b = resource("b");
		// a and b depend on each other
		DisposalGraph graph = DisposalGraph.build(List.of(first, second, b),
				dependents(Map.of("a", List.of("b"), "b", List.of("a"))));
		// the join of the a's (node 3) is the node created last: it stops waiting for
		// them and ends at once; then b, then the a's
		assertThat(graph.size()).isEqualTo(4);
		assertThat(graph.predecessorCount(3)).isZero();
		assertThat(successors(graph, 3)).containsExactly(2);
		assertThat(successors(graph, 2)).containsExactly(0, 1);
		assertThat(graph.edgeCount()).isEqualTo(3);
	}

	private ManagedResource resource(String beanName) {
		Object instance = new Object();
		return new ManagedResource(ResourceTable.id(++this.sequence, instance), instance, meta(beanName), true, null);
	}

	private static ResourceMeta meta(String beanName) {
		return new ResourceMeta(beanName, beanName, Object.class.getName(), "prototype", DisposalPlan.NONE, null,
				Object.class, ResourceKind.DISPOSABLE);
	}

	private static Function<String, String[]> dependents(Map<String, List<String>> dependents) {
		return (name) -> dependents.getOrDefault(name, List.of()).toArray(NONE);
	}

	private static List<Integer> successors(DisposalGraph graph, int node) {
		List<Integer> successors = new ArrayList<>();
		for (int i = 0; i < graph.successorCount(node); i++) {
			successors.add(graph.successor(node, i));
		}
		return successors;
	}

}
