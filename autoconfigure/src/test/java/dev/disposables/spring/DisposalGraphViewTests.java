package dev.disposables.spring;

import java.util.List;
import java.util.Optional;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesScopesAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The disposal graph's view: the graph the shutdown would run, each edge labelled with
 * why it is there (declared by Spring, observed by the starter, ownership), bounded, and
 * rendered for Graphviz and Mermaid.
 */
class DisposalGraphViewTests {

	@Test
	void edgesAreTheShutdownsWithTheirReasons() {
		try (AnnotationConfigApplicationContext context = context()) {
			DisposalGraphView graph = context.getBean(DisposableRegistry.class).graph(100);
			assertThat(graph.truncated()).isFalse();
			assertThat(graph.nodes()).extracting(DisposalGraphView.Node::beanName)
				.contains("pool", "store", "cache", "warmer", "registryClient", "lookup", "dep", "direct", "conn",
						"owner")
				.doesNotContain("template"); // not disposable: only a way through
			DisposalGraphView.Node conn = node(graph, "conn");
			assertThat(conn.scope()).isEqualTo("prototype");
			assertThat(conn.mode()).isEqualTo(DisposalMode.SYNC);
			assertThat(conn.type()).isEqualTo(Conn.class.getName());
			assertThat(conn.state()).isEqualTo(ResourceState.LIVE);

			// the pool is disposed after the store, which uses it through the template
			assertThat(edge(graph, "pool", "store")).satisfies((edge) -> {
				assertThat(edge.reason()).isEqualTo(DisposalGraphView.Reason.DECLARED);
				assertThat(edge.via()).containsExactly("template");
			});
			// resolved through an ObjectProvider in the warmer's constructor: Spring
			// records nothing
			assertThat(edge(graph, "cache", "warmer").reason()).isEqualTo(DisposalGraphView.Reason.OBSERVED);
			// created by getBean in the lookup's constructor
			assertThat(edge(graph, "registryClient", "lookup").reason()).isEqualTo(DisposalGraphView.Reason.OBSERVED);
			// created inside the direct bean's creation, but through its constructor's
			// declared parameter
			assertThat(edge(graph, "dep", "direct").reason()).isEqualTo(DisposalGraphView.Reason.DECLARED);
			// a prototype injected into its owner
			assertThat(edge(graph, "conn", "owner").reason()).isEqualTo(DisposalGraphView.Reason.OWNERSHIP);
			// an Optional is declared: Spring records it
			assertThat(edge(graph, "optionalDep", "optionalUser").reason())
				.isEqualTo(DisposalGraphView.Reason.DECLARED);
			assertThat(graph.edges()).noneMatch((edge) -> edge.waiter() == node(graph, "loner").id()
					|| edge.waitsFor() == node(graph, "loner").id());
		}
	}

	@Test
	void renderingsNameBeansAndTypesOnly() {
		try (AnnotationConfigApplicationContext context = context()) {
			DisposalGraphView graph = context.getBean(DisposableRegistry.class).graph(100);
			long pool = node(graph, "pool").id();
			long store = node(graph, "store").id();
			long cache = node(graph, "cache").id();
			long warmer = node(graph, "warmer").id();
			long conn = node(graph, "conn").id();
			long owner = node(graph, "owner").id();
			String dot = graph.toDot();
			assertThat(dot).startsWith("digraph disposal {")
				.contains("n" + pool + " [label=\"pool\\nDisposalGraphViewTests$Pool\\nsingleton, sync\"")
				.contains("n" + store + " -> n" + pool + " [label=\"declared via template\"];")
				.contains("n" + warmer + " -> n" + cache + " [label=\"observed\", style=dashed];")
				.contains("n" + owner + " -> n" + conn + " [label=\"ownership\", style=bold];")
				.endsWith("}\n")
				.doesNotContain(Secretive.SECRET);
			String mermaid = graph.toMermaid();
			assertThat(mermaid).startsWith("flowchart LR\n")
				.contains("n" + pool + "[\"pool<br/><small>DisposalGraphViewTests$Pool<br/>singleton, sync</small>\"]")
				.contains("n" + store + " -->|\"declared via template\"| n" + pool)
				.contains("n" + warmer + " -.->|\"observed\"| n" + cache)
				.contains("n" + owner + " ==>|\"ownership\"| n" + conn)
				.doesNotContain(Secretive.SECRET);
		}
	}

	@Test
	void limitedToTheOldestResources() {
		try (AnnotationConfigApplicationContext context = context()) {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			DisposalGraphView all = registry.graph(1000);
			DisposalGraphView three = registry.graph(3);
			assertThat(three.nodes()).hasSize(3);
			assertThat(three.total()).isEqualTo(all.total()).isGreaterThan(3);
			assertThat(three.truncated()).isTrue();
			assertThat(three.nodes()).extracting(DisposalGraphView.Node::id)
				.containsExactlyElementsOf(all.nodes().stream().limit(3).map(DisposalGraphView.Node::id).toList());
			assertThat(three.edges())
				.allSatisfy((edge) -> assertThat(three.nodes()).extracting(DisposalGraphView.Node::id)
					.contains(edge.waiter(), edge.waitsFor()));
			assertThat(three.toDot()).contains((all.total() - 3) + " more not shown");
			assertThat(registry.graph(0).nodes()).isEmpty();
			assertThatIllegalArgumentException().isThrownBy(() -> registry.graph(-1));
		}
	}

	@Test
	void theGraphIsTheOrderTheShutdownFollows() {
		DisposalJournal journal = new DisposalJournal();
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.register(DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class);
		context.registerBean("first", Object.class, () -> TimedResource.create("first", 50, true, journal, List.of()));
		context.registerBean("second", Object.class,
				() -> TimedResource.create("second", 50, false, journal, List.of()));
		context.getBeanDefinition("first").setDependsOn("second");
		context.refresh();
		DisposalGraphView graph = context.getBean(DisposableRegistry.class).graph(100);
		assertThat(edge(graph, "second", "first").reason()).isEqualTo(DisposalGraphView.Reason.DECLARED);
		context.close();
		assertThat(journal.start("second")).isGreaterThanOrEqualTo(journal.end("first"));
	}

	private static AnnotationConfigApplicationContext context() {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.register(DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class);
		context.registerBean("pool", Pool.class);
		context.registerBean("template", Template.class);
		context.registerBean("store", Store.class);
		// users first: what they resolve is created inside their creation
		context.registerBean("warmer", Warmer.class);
		context.registerBean("cache", Cache.class);
		context.registerBean("lookup", Lookup.class);
		context.registerBean("registryClient", Client.class);
		context.registerBean("direct", Direct.class);
		context.registerBean("dep", Dep.class);
		context.registerBean("optionalUser", OptionalUser.class);
		context.registerBean("optionalDep", OptionalDep.class);
		context.registerBean("conn", Conn.class, (definition) -> definition.setScope(BeanDefinition.SCOPE_PROTOTYPE));
		context.registerBean("owner", Owner.class);
		context.registerBean("loner", Loner.class);
		context.refresh();
		return context;
	}

	private static DisposalGraphView.Node node(DisposalGraphView graph, String beanName) {
		return graph.nodes().stream().filter((node) -> node.beanName().equals(beanName)).findFirst().orElseThrow();
	}

	/** The edge by which {@code waiter} waits for {@code waitsFor}. */
	private static DisposalGraphView.Edge edge(DisposalGraphView graph, String waiter, String waitsFor) {
		long waiterId = node(graph, waiter).id();
		long waitsForId = node(graph, waitsFor).id();
		List<DisposalGraphView.Edge> edges = graph.edges()
			.stream()
			.filter((edge) -> edge.waiter() == waiterId && edge.waitsFor() == waitsForId)
			.toList();
		assertThat(edges).as("edges from %s to %s in %s", waiter, waitsFor, graph.edges()).hasSize(1);
		return edges.get(0);
	}

	static class Pool extends Secretive {

	}

	static class Template {

		Template(Pool pool) {
		}

	}

	static class Store extends Secretive {

		Store(Template template) {
		}

	}

	static class Cache extends Secretive {

	}

	static class Warmer extends Secretive {

		Warmer(ObjectProvider<Cache> caches) {
			caches.getObject();
		}

	}

	static class Client extends Secretive {

	}

	static class Lookup extends Secretive {

		Lookup(BeanFactory beanFactory) {
			beanFactory.getBean("registryClient");
		}

	}

	static class Dep extends Secretive {

	}

	static class Direct extends Secretive {

		Direct(Dep dep) {
		}

	}

	static class OptionalDep extends Secretive {

	}

	static class OptionalUser extends Secretive {

		OptionalUser(Optional<OptionalDep> dep) {
		}

	}

	static class Conn extends Secretive {

	}

	static class Owner extends Secretive {

		Owner(Conn conn) {
		}

	}

	static class Loner extends Secretive {

	}

}
