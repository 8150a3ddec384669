package dev.disposables.spring;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The disposal graph the shutdown would run now: the live resources and who waits for
 * whom, and why. Names, types and states only, never an instance. Rendered for Graphviz
 * ({@link #toDot()}) or Mermaid ({@link #toMermaid()}), with arrows in disposal order: a
 * resource is disposed after every resource with an arrow to it.
 *
 * <pre class="code">
 * DisposalGraphView graph = registry.graph(100);
 * Files.writeString(Path.of("disposal.dot"), graph.toDot());   // dot -Tpng disposal.dot -o disposal.png
 * </pre>
 *
 * @param nodes the resources, oldest first (at most the limit asked for)
 * @param edges who waits for whom, among {@code nodes}
 * @param total how many live resources there are in all; more than {@code nodes.size()}
 * when the view was limited
 * @since 0.2.0
 * @see DisposableRegistry#graph(int)
 */
public record DisposalGraphView(List<Node> nodes, List<Edge> edges, int total) {

	public DisposalGraphView {
		nodes = List.copyOf(nodes);
		edges = List.copyOf(edges);
	}

	/**
	 * Whether some live resources (the newest) were left out.
	 * @return {@code true} if {@link #nodes()} is not every live resource
	 */
	public boolean truncated() {
		return this.nodes.size() < this.total;
	}

	/**
	 * The graph in Graphviz DOT: {@code dot -Tsvg graph.dot -o graph.svg}. Declared
	 * dependencies are solid arrows, observed ones dashed, ownership bold.
	 * @return the DOT text
	 */
	public String toDot() {
		StringBuilder dot = new StringBuilder();
		dot.append("digraph disposal {\n");
		dot.append("  // arrows in disposal order: a resource is disposed after every resource pointing at it\n");
		dot.append("  rankdir=LR;\n");
		dot.append("  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=11];\n");
		dot.append("  edge [fontname=\"Helvetica\", fontsize=9];\n");
		for (Node node : this.nodes) {
			dot.append("  n")
				.append(node.id())
				.append(" [label=\"")
				.append(dotEscape(node.beanName()))
				.append("\\n")
				.append(dotEscape(simpleName(node.type())))
				.append("\\n")
				.append(dotEscape(node.details()))
				.append('"');
			if (node.anchor()) {
				dot.append(", style=\"rounded,dashed\"");
			}
			else if (node.mode() == DisposalMode.ASYNC) {
				dot.append(", style=\"rounded,filled\", fillcolor=\"#e8f0fe\"");
			}
			dot.append("];\n");
		}
		for (Edge edge : this.edges) {
			dot.append("  n")
				.append(edge.waitsFor())
				.append(" -> n")
				.append(edge.waiter())
				.append(" [label=\"")
				.append(dotEscape(edge.label()))
				.append('"');
			switch (edge.reason()) {
				case OBSERVED -> dot.append(", style=dashed");
				case OWNERSHIP -> dot.append(", style=bold");
				default -> {
				}
			}
			dot.append("];\n");
		}
		if (truncated()) {
			dot.append("  more [shape=plaintext, label=\"")
				.append(this.total - this.nodes.size())
				.append(" more not shown\"];\n");
		}
		dot.append("}\n");
		return dot.toString();
	}

	/**
	 * The graph as a Mermaid flowchart (paste it into a Markdown {@code mermaid} block).
	 * Declared dependencies are solid arrows, observed ones dotted, ownership thick.
	 * @return the Mermaid text
	 */
	public String toMermaid() {
		StringBuilder mermaid = new StringBuilder();
		mermaid.append("flowchart LR\n");
		for (Node node : this.nodes) {
			mermaid.append("  n")
				.append(node.id())
				.append("[\"")
				.append(mermaidEscape(node.beanName()))
				.append("<br/><small>")
				.append(mermaidEscape(simpleName(node.type())))
				.append("<br/>")
				.append(mermaidEscape(node.details()))
				.append("</small>\"]\n");
		}
		for (Edge edge : this.edges) {
			String arrow = switch (edge.reason()) {
				case OBSERVED -> " -.->";
				case OWNERSHIP -> " ==>";
				default -> " -->";
			};
			mermaid.append("  n")
				.append(edge.waitsFor())
				.append(arrow)
				.append("|\"")
				.append(mermaidEscape(edge.label()))
				.append("\"| n")
				.append(edge.waiter())
				.append('\n');
		}
		if (truncated()) {
			mermaid.append("  more[\"").append(this.total - this.nodes.size()).append(" more not shown\"]\n");
		}
		return mermaid.toString();
	}

	private static String simpleName(String type) {
		return type.substring(type.lastIndexOf('.') + 1);
	}

	private static String dotEscape(String text) {
		return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ");
	}

	private static String mermaidEscape(String text) {
		return text.replace("&", "&amp;")
			.replace("\"", "#quot;")
			.replace("<", "&lt;")
			.replace(">", "&gt;")
			.replace("|", "#124;")
			.replace("\n", " ");
	}

	/**
	 * A live resource.
	 *
	 * @param id the resource's id (as in {@code GET /actuator/disposables/{id}})
	 * @param beanName the bean definition it was created from
	 * @param type its class name
	 * @param scope its scope
	 * @param mode how it is disposed; {@code null} for an anchor
	 * @param state {@code LIVE} or {@code DISPOSING}
	 * @param anchor whether it only stands for a bean that is not disposable itself but
	 * owns prototypes (it disposes nothing; its end disposes what it owns)
	 */
	public record Node(long id, String beanName, String type, String scope, @Nullable DisposalMode mode,
			ResourceState state, boolean anchor) {

		String details() {
			return this.scope + ", " + ((this.mode != null) ? this.mode.name().toLowerCase(Locale.ROOT) : "owner only");
		}

	}

	/**
	 * {@code waiter} is disposed only after {@code waitsFor} has finished.
	 *
	 * @param waiter the id of the resource that waits
	 * @param waitsFor the id of the resource it waits for
	 * @param reason why it waits
	 * @param via the beans (not disposable themselves) through which the dependency runs,
	 * in order from {@code waiter}'s bean to {@code waitsFor}'s, if any:
	 * {@code dataSource} waits for {@code auditStore} via {@code jdbcTemplate}
	 */
	public record Edge(long waiter, long waitsFor, Reason reason, List<String> via) {

		public Edge {
			Objects.requireNonNull(reason, "reason");
			via = List.copyOf(via);
		}

		String label() {
			String label = this.reason.name().toLowerCase(Locale.ROOT);
			return this.via.isEmpty() ? label : label + " via " + String.join(", ", this.via);
		}

	}

	/**
	 * Why one resource waits for another.
	 */
	public enum Reason {

		/**
		 * Spring declared the dependency: injection, {@code @DependsOn}, a {@code @Bean}
		 * method's reference.
		 */
		DECLARED,

		/**
		 * The starter observed it: the dependent resolved the bean through an
		 * {@code ObjectProvider} or {@code getBean} while it was being created, which
		 * Spring does not record (or exposes one instance under two bean names).
		 */
		OBSERVED,

		/**
		 * The waiter is a prototype owned by the other resource (it was injected into
		 * it): it is disposed right after its owner.
		 */
		OWNERSHIP

	}

}
