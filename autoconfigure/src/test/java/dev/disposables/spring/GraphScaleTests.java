package dev.disposables.spring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesScopesAutoConfiguration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shutdown graph stays linear in the resources: an owned prototype waits for the
 * instance that owns it only, and the instances of two bean names are linked through one
 * node rather than as a cross product.
 */
class GraphScaleTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class))
		.withUserConfiguration(NestedConfig.class);

	@Test
	void anOwnedInnerWaitsOnlyForItsOwnOuter() {
		this.runner.run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			List<Outer> outers = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				outers.add(context.getBean(Outer.class));
			}
			DisposalGraph graph = DisposalGraph.build(registry.liveResources(),
					context.getBeanFactory()::getDependentBeans);
			Map<Integer, Set<Integer>> predecessors = predecessors(graph);
			for (Outer outer : outers) {
				assertThat(registry.lookup(outer.inner).owner()).isSameAs(registry.lookup(outer));
				int outerNode = graph.nodes().indexOf(registry.lookup(outer));
				int innerNode = graph.nodes().indexOf(registry.lookup(outer.inner));
				assertThat(predecessors.getOrDefault(innerNode, Set.of())).containsExactly(outerNode);
				assertThat(predecessors.getOrDefault(outerNode, Set.of())).isEmpty();
			}
		});
	}

	@Test
	void edgesGrowLinearlyWithNestedPrototypes() {
		assertThat(nestedEdges(100)).isEqualTo(100);
		assertThat(nestedEdges(1_000)).isEqualTo(1_000); // one ownership edge per Inner
	}

	@Test
	void instancesOfTwoBeanNamesAreLinkedThroughOneNodeNotACrossProduct() {
		this.runner.run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			List<Object> held = new ArrayList<>();
			int count = 300;
			for (int i = 0; i < count; i++) {
				// Not created for another bean: no owner, the bean names' dependency
				// alone orders them.
				held.add(context.getBean(Inner.class));
				held.add(context.getBean("free", Free.class));
			}
			Map<String, String[]> dependents = Map.of("inner", new String[] { "free" });
			DisposalGraph graph = DisposalGraph.build(registry.liveResources(),
					(name) -> dependents.getOrDefault(name, new String[0]));
			assertThat(graph.edgeCount()).isEqualTo(2 * count); // each Free to the join,
																// the join to each Inner
			Map<Integer, Set<Integer>> predecessors = predecessors(graph);
			Set<Integer> frees = new HashSet<>();
			for (int i = 0; i < graph.nodes().size(); i++) {
				if (graph.nodes().get(i).springBeanName().equals("free")) {
					frees.add(i);
				}
			}
			for (int i = 0; i < graph.nodes().size(); i++) {
				if (graph.nodes().get(i).springBeanName().equals("inner")) {
					Set<Integer> waitsFor = predecessors.get(i);
					assertThat(waitsFor).hasSize(1);
					int join = waitsFor.iterator().next();
					assertThat(graph.resource(join)).isNull();
					assertThat(predecessors.get(join)).isEqualTo(frees);
				}
			}
			assertThat(held).hasSize(2 * count);
		});
	}

	/**
	 * One Outer's close() waits until another Outer's Inner is closed: that Inner must
	 * not wait for every Outer (it did when the graph linked them by bean name).
	 * @param count how many Outers
	 * @param blocked which Outer blocks
	 */
	@Property(tries = 10)
	void anInnerIsDisposedWhileAnotherOwnersCloseIsStillRunning(@ForAll @IntRange(min = 2, max = 40) int count,
			@ForAll @IntRange(min = 0, max = 39) int blocked) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.register(DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class,
				NestedConfig.class);
		context.refresh();
		List<Outer> outers = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			outers.add(context.getBean(Outer.class));
		}
		Outer waiting = outers.get(blocked % count);
		Outer other = outers.get((blocked + 1) % count);
		waiting.waitFor = other.inner.closed;
		context.close();
		assertThat(waiting.sawOtherInnerClosed).as("another Outer's Inner closed while this Outer was closing")
			.isTrue();
		for (Outer outer : outers) {
			assertThat(outer.inner.closedAfterOwner.get()).isTrue();
		}
	}

	private int nestedEdges(int count) {
		int[] edges = new int[1];
		this.runner.run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			List<Outer> outers = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				outers.add(context.getBean(Outer.class));
			}
			DisposalGraph graph = DisposalGraph.build(registry.liveResources(),
					context.getBeanFactory()::getDependentBeans);
			assertThat(graph.nodes()).hasSize(2 * count);
			edges[0] = graph.edgeCount();
		});
		return edges[0];
	}

	private static Map<Integer, Set<Integer>> predecessors(DisposalGraph graph) {
		Map<Integer, Set<Integer>> predecessors = new HashMap<>();
		for (int node = 0; node < graph.size(); node++) {
			for (int i = 0; i < graph.successorCount(node); i++) {
				predecessors.computeIfAbsent(graph.successor(node, i), (key) -> new HashSet<>()).add(node);
			}
		}
		return predecessors;
	}

	@Configuration(proxyBeanMethods = false)
	static class NestedConfig {

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		Inner inner() {
			return new Inner();
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		Outer outer(Inner inner) {
			return new Outer(inner);
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		Free free() {
			return new Free();
		}

	}

	static class Inner implements AutoCloseable {

		final CountDownLatch closed = new CountDownLatch(1);

		final AtomicBoolean closedAfterOwner = new AtomicBoolean();

		volatile boolean ownerClosed;

		@Override
		public void close() {
			this.closedAfterOwner.set(this.ownerClosed);
			this.closed.countDown();
		}

	}

	static class Outer implements AutoCloseable {

		final Inner inner;

		volatile CountDownLatch waitFor;

		volatile boolean sawOtherInnerClosed;

		Outer(Inner inner) {
			this.inner = inner;
		}

		@Override
		public void close() throws InterruptedException {
			CountDownLatch latch = this.waitFor;
			if (latch != null) {
				// Bounded well below the per-resource timeout: a graph that orders the
				// other Inner after this Outer lets it time out here.
				this.sawOtherInnerClosed = latch.await(3, TimeUnit.SECONDS);
			}
			this.inner.ownerClosed = true;
		}

	}

	static class Free implements AutoCloseable {

		@Override
		public void close() {
		}

	}

}
