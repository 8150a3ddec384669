package dev.disposables;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random ownership graphs with cycles, duplicate edges and self-loops, mixing every
 * container type, some members failing, some continuing on another thread: disposing the
 * root always completes, disposes every member exactly once in depth-first order, and
 * reports the first failure to the caller; every later disposal is a no-op.
 */
// "try": close() may throw InterruptedException by design.
@SuppressWarnings("try")
class DisposalGraphProperties {

	@Provide
	Arbitrary<Graph> graphs() {
		Arbitrary<Node> node = Combinators
			.combine(Arbitraries.of(Kind.class), Arbitraries.of(true, false), Arbitraries.of(true, false))
			.as(Node::new);
		return node.list().ofMinSize(1).ofMaxSize(7).flatMap((nodes) -> {
			int size = nodes.size();
			Arbitrary<List<Integer>> parents = Arbitraries.integers().between(0, size).list().ofSize(size - 1);
			Arbitrary<List<Edge>> extras = Combinators
				.combine(Arbitraries.integers().between(0, size - 1), Arbitraries.integers().between(0, size - 1),
						Arbitraries.integers().between(0, 20))
				.as(Edge::new)
				.list()
				.ofMinSize(1)
				.ofMaxSize(size + 3);
			return Combinators.combine(parents, extras).as((p, e) -> new Graph(nodes, p, e));
		});
	}

	@Property(tries = 250)
	void everyMemberIsDisposedOnceTheDisposalCompletesAndTheFirstFailureSurfaces(@ForAll("graphs") Graph graph,
			@ForAll boolean viaClose) throws Exception {
		Recorder recorder = new Recorder();
		List<NodeFailure> failures = new ArrayList<>();
		List<AutoCloseable> built = new ArrayList<>();
		List<List<Integer>> children = graph.children();
		for (int i = 0; i < graph.nodes().size(); i++) {
			failures.add(graph.nodes().get(i).fails() ? new NodeFailure(i) : null);
		}
		List<Runnable> links = new ArrayList<>();
		for (int i = 0; i < graph.nodes().size(); i++) {
			build(graph, i, recorder, failures.get(i), children.get(i), built, links);
		}
		links.forEach(Runnable::run);

		AutoCloseable root = built.get(0);
		Throwable thrown = (viaClose || !(root instanceof AsyncDisposable))
				? TestThreads.close(root).get(10, TimeUnit.SECONDS)
				: TestThreads.outcome(((AsyncDisposable) root).disposeAsync()).get(10, TimeUnit.SECONDS);

		List<String> expected = new ArrayList<>();
		visit(graph, children, 0, new boolean[graph.nodes().size()], expected);
		assertThat(recorder.events()).containsExactlyElementsOf(expected);
		assertThat(expected).hasSize(graph.nodes().size()); // every member, once
		NodeFailure first = expected.stream()
			.map((index) -> failures.get(Integer.parseInt(index)))
			.filter((failure) -> failure != null)
			.findFirst()
			.orElse(null);
		assertThat(thrown).isSameAs(first);

		for (AutoCloseable member : built) {
			assertThat(TestThreads.close(member).get(10, TimeUnit.SECONDS)).isNull(); // a
																						// no-op
		}
		assertThat(recorder.events()).containsExactlyElementsOf(expected);
	}

	/** The disposal order a single caller must see: depth first, each node once. */
	private static void visit(Graph graph, List<List<Integer>> children, int index, boolean[] started,
			List<String> events) {
		started[index] = true;
		boolean ownFirst = graph.ownStepFirst(index);
		if (ownFirst) {
			events.add(String.valueOf(index));
		}
		List<Integer> reversed = new ArrayList<>(children.get(index));
		Collections.reverse(reversed);
		for (int child : reversed) {
			if (!started[child]) {
				visit(graph, children, child, started, events);
			}
		}
		if (!ownFirst) {
			events.add(String.valueOf(index));
		}
	}

	private static void build(Graph graph, int index, Recorder recorder, NodeFailure failure, List<Integer> children,
			List<AutoCloseable> built, List<Runnable> links) {
		Node node = graph.nodes().get(index);
		String name = String.valueOf(index);
		switch (node.kind()) {
			case BASE -> {
				GraphBase base = new GraphBase(() -> ownStep(recorder, name, failure, node.async()));
				built.add(base);
				links.add(() -> children.forEach((child) -> base.link(built.get(child))));
			}
			case SYNC_STACK -> {
				DisposableStack stack = new DisposableStack();
				stack.defer(() -> {
					recorder.add(name);
					if (failure != null) {
						throw failure;
					}
				});
				built.add(stack);
				links.add(() -> children.forEach((child) -> stack.use(built.get(child))));
			}
			case ASYNC_STACK -> {
				AsyncDisposableStack stack = new AsyncDisposableStack();
				boolean ownFirst = graph.ownStepFirst(index);
				if (!ownFirst) {
					stack.defer(() -> ownStep(recorder, name, failure, node.async()));
				}
				built.add(stack);
				links.add(() -> {
					children.forEach((child) -> stack.use(built.get(child)));
					if (ownFirst) {
						stack.defer(() -> ownStep(recorder, name, failure, node.async()));
					}
				});
			}
		}
	}

	/**
	 * Logs the node, then completes (after a thread hop if {@code async}), failing if
	 * given.
	 */
	private static CompletionStage<Void> ownStep(Recorder recorder, String name, NodeFailure failure, boolean async) {
		recorder.add(name);
		CompletableFuture<Void> before = async ? TestThreads.hop() : CompletableFuture.completedFuture(null);
		return before.thenCompose((ignored) -> (failure != null) ? CompletableFuture.<Void>failedFuture(failure)
				: CompletableFuture.<Void>completedFuture(null));
	}

	enum Kind {

		BASE, SYNC_STACK, ASYNC_STACK

	}

	/**
	 * One container. Its own step logs its index and fails if {@code fails}. With
	 * {@code async}, a {@code BASE} core or an {@code ASYNC_STACK} step completes on
	 * another thread.
	 */
	record Node(Kind kind, boolean fails, boolean async) {
	}

	/**
	 * {@code from} owns {@code to}; {@code at} places the edge among {@code from}'s
	 * others.
	 */
	record Edge(int from, int to, int at) {
	}

	/**
	 * Node 0 is the root; every other node {@code i} is owned by node
	 * {@code parents[i - 1] % i}, so all are reachable from the root. Extra edges may
	 * point anywhere: cycles, self-loops, the same child twice.
	 */
	record Graph(List<Node> nodes, List<Integer> parents, List<Edge> extras) {

		/** The children of every node, in registration order. */
		List<List<Integer>> children() {
			List<List<Integer>> children = new ArrayList<>();
			for (int i = 0; i < this.nodes.size(); i++) {
				children.add(new ArrayList<>());
			}
			for (int i = 1; i < this.nodes.size(); i++) {
				children.get(this.parents.get(i - 1) % i).add(i);
			}
			for (Edge edge : this.extras) {
				List<Integer> list = children.get(edge.from());
				list.add(edge.at() % (list.size() + 1), edge.to());
			}
			return children;
		}

		/** Whether the node's own step comes before its children in disposal order. */
		boolean ownStepFirst(int index) {
			Node node = this.nodes.get(index);
			return node.kind() == Kind.BASE || (node.kind() == Kind.ASYNC_STACK && node.async());
		}
	}

	static final class NodeFailure extends RuntimeException {

		private static final long serialVersionUID = 1L;

		NodeFailure(int index) {
			super("node " + index);
		}

	}

	/**
	 * A DisposableBase whose core is the node's own step and whose children are owned.
	 */
	static final class GraphBase extends DisposableBase {

		private final Supplier<CompletionStage<Void>> core;

		GraphBase(Supplier<CompletionStage<Void>> core) {
			this.core = core;
		}

		void link(AutoCloseable child) {
			own(child);
		}

		@Override
		protected CompletionStage<?> disposeAsyncCore() {
			return this.core.get();
		}

	}

}
