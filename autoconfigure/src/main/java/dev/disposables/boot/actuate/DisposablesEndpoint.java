package dev.disposables.boot.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposableResource;
import dev.disposables.spring.DisposalGraphView;
import dev.disposables.spring.DisposalMode;
import dev.disposables.spring.LeakReport;
import dev.disposables.spring.ResourceState;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.annotation.RegisterReflectionForBinding;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.Link;
import org.springframework.context.annotation.ImportRuntimeHints;

/**
 * {@link Endpoint @Endpoint} exposing what a {@link DisposableRegistry} holds: counts by
 * scope and state, the resources not disposed yet, and the most recent leaks.
 *
 * <p>
 * Everything shown comes from the registry's views, which carry names, types and states
 * only: the endpoint never calls {@code toString()} on an application object. Allocation
 * stack traces, which may reveal the application's internals, are shown only as
 * {@code management.endpoint.disposables.show-values} allows ({@code never} by default);
 * over HTTP, {@link DisposablesEndpointWebExtension} decides with the caller's security
 * context.
 */
@Endpoint(id = "disposables")
@ImportRuntimeHints(DisposablesEndpointRuntimeHints.class)
public class DisposablesEndpoint {

	/** How many resources are listed when the request does not say. */
	public static final int DEFAULT_LIMIT = 100;

	/**
	 * The most resources a graph request may ask for ({@code limit}): a larger one
	 * answers 400. The graph and its rendering grow with the resources included, so an
	 * endpoint user must not make the application allocate without bound.
	 * @since 0.2.0
	 */
	public static final int MAX_GRAPH_LIMIT = 10_000;

	/**
	 * The selector of the disposal graph: {@code GET /actuator/disposables/graph}.
	 * @since 0.2.0
	 */
	public static final String GRAPH = "graph";

	/** What the {@code limit} parameter accepts, as a 400 says it. */
	static final String LIMIT_ACCEPTED = "a whole number, 0 or more";

	/** What the graph's {@code limit} parameter accepts. */
	static final String GRAPH_LIMIT_ACCEPTED = "a whole number from 0 to " + MAX_GRAPH_LIMIT;

	/** What the {@code state} parameter accepts, as a 400 says it. */
	static final String STATE_ACCEPTED = "live or disposing (only undisposed resources are listed)";

	/** What the {@code format} parameter accepts, as a 400 says it. */
	static final String FORMAT_ACCEPTED = "dot or mermaid";

	private final DisposableRegistry registry;

	private final Show showValues;

	/**
	 * Create the endpoint.
	 * @param registry the registry to describe
	 * @param showValues when to show allocation stack traces
	 */
	public DisposablesEndpoint(DisposableRegistry registry, Show showValues) {
		this.registry = registry;
		this.showValues = showValues;
	}

	/**
	 * The summary, the undisposed resources and the recent leaks.
	 * @param scope only resources and leaks of this scope, if given
	 * @param state only resources in this state ({@code live} or {@code disposing}), if
	 * given
	 * @param limit at most this many resources, oldest first ({@value #DEFAULT_LIMIT} if
	 * not given)
	 * @return the descriptor
	 */
	@ReadOperation
	public DisposablesDescriptor disposables(@Nullable String scope, @Nullable String state, @Nullable Integer limit) {
		// Not over HTTP (JMX): like Spring Boot's own endpoints, access to the technology
		// itself is the authorization.
		return getDisposables(scope, state, limit, this.showValues.isShown(true));
	}

	/**
	 * One undisposed resource ({@code /actuator/disposables/42}), or the disposal graph
	 * ({@code /actuator/disposables/graph}). One operation serves both, as Spring Boot's
	 * Quartz endpoint serves {@code jobs} and {@code triggers}: an endpoint's paths are
	 * made of selectors, never of fixed segments.
	 * @param id a resource's id, or {@value #GRAPH}
	 * @param format the graph's text rendering, {@code dot} (default) or {@code mermaid};
	 * ignored for a resource
	 * @param limit at most this many resources in the graph, oldest first
	 * ({@value #DEFAULT_LIMIT} if not given, at most {@value #MAX_GRAPH_LIMIT}); ignored
	 * for a resource
	 * @return the resource or the graph, or {@code null} (404 over HTTP) if the resource
	 * is unknown, already finished, or the id is not a number
	 */
	@ReadOperation
	@RegisterReflectionForBinding({ DisposableResourceDescriptor.class, DisposalGraphDescriptor.class })
	public @Nullable OperationResponseBody disposable(@Selector String id, @Nullable String format,
			@Nullable Integer limit) {
		return getDisposableOrGraph(id, format, limit, this.showValues.isShown(true));
	}

	@Nullable OperationResponseBody getDisposableOrGraph(String id, @Nullable String format, @Nullable Integer limit,
			boolean showAllocationSites) {
		if (GRAPH.equals(id)) {
			return getGraph(format, limit);
		}
		// Anything else that is not a known resource's id, a number or not, is simply not
		// found (404).
		return getDisposable(id, showAllocationSites);
	}

	private static int limitOrDefault(@Nullable Integer limit) {
		int max = (limit != null) ? limit : DEFAULT_LIMIT;
		if (max < 0) {
			throw new InvalidParameterException("limit", String.valueOf(max), LIMIT_ACCEPTED);
		}
		return max;
	}

	/**
	 * The disposal graph the shutdown would run now.
	 * @param format {@code dot} or {@code mermaid}
	 * @param limit at most this many resources
	 * @return the graph
	 */
	DisposalGraphDescriptor getGraph(@Nullable String format, @Nullable Integer limit) {
		GraphFormat graphFormat = GraphFormat.of(format);
		int max = limitOrDefault(limit);
		if (max > MAX_GRAPH_LIMIT) {
			throw new InvalidParameterException("limit", String.valueOf(max), GRAPH_LIMIT_ACCEPTED);
		}
		DisposalGraphView graph = this.registry.graph(max);
		return new DisposalGraphDescriptor(graph.total(), graph.truncated(), graph.nodes(), graph.edges(),
				graphFormat.name().toLowerCase(Locale.ROOT),
				(graphFormat == GraphFormat.MERMAID) ? graph.toMermaid() : graph.toDot());
	}

	DisposablesDescriptor getDisposables(@Nullable String scope, @Nullable String state, @Nullable Integer limit,
			boolean showAllocationSites) {
		ResourceState wantedState = parseState(state);
		int max = limitOrDefault(limit);
		Predicate<DisposableResource> filter = (resource) -> (scope == null || scope.equals(resource.scope()))
				&& (wantedState == null || wantedState == resource.state());
		Instant now = Instant.now();
		List<DisposableResourceDescriptor> resources = new ArrayList<>();
		for (DisposableResource resource : this.registry.resources(filter, max)) {
			resources.add(DisposableResourceDescriptor.of(resource, now, showAllocationSites));
		}
		List<LeakDescriptor> leaks = new ArrayList<>();
		for (LeakReport leak : this.registry.recentLeaks()) {
			if (scope == null || scope.equals(leak.scope())) {
				leaks.add(LeakDescriptor.of(leak, showAllocationSites));
			}
		}
		Map<String, Map<ResourceState, Long>> counts = this.registry.counts();
		Map<String, ScopeSummaryDescriptor> summary = new LinkedHashMap<>();
		counts.forEach((name, byState) -> summary.put(name, ScopeSummaryDescriptor.of(byState)));
		return new DisposablesDescriptor(summary, open(counts, scope, wantedState), resources, leaks, null);
	}

	@Nullable DisposableResourceDescriptor getDisposable(String id, boolean showAllocationSites) {
		// A String selector, parsed here: a long selector answers 400 for an id that is
		// not a number, while any id that names no resource is simply not found.
		Long parsed = parseId(id);
		if (parsed == null) {
			return null;
		}
		return this.registry.find(parsed)
			.map((resource) -> DisposableResourceDescriptor.of(resource, Instant.now(), showAllocationSites))
			.orElse(null);
	}

	private static @Nullable Long parseId(String id) {
		try {
			return Long.valueOf(id);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * From the counters, so that the total is known without walking every resource.
	 * @param counts the resource counts by scope and state
	 * @param scope the scope to count, or {@code null} for every scope
	 * @param state the state to count, or {@code null} for every undisposed state
	 * @return the number of undisposed resources that match
	 */
	private static long open(Map<String, Map<ResourceState, Long>> counts, @Nullable String scope,
			@Nullable ResourceState state) {
		long total = 0;
		for (Map.Entry<String, Map<ResourceState, Long>> entry : counts.entrySet()) {
			if (scope == null || scope.equals(entry.getKey())) {
				Map<ResourceState, Long> byState = entry.getValue();
				if (state == null || state == ResourceState.LIVE) {
					total += byState.getOrDefault(ResourceState.LIVE, 0L);
				}
				if (state == null || state == ResourceState.DISPOSING) {
					total += byState.getOrDefault(ResourceState.DISPOSING, 0L);
				}
			}
		}
		return total;
	}

	private static @Nullable ResourceState parseState(@Nullable String state) {
		if (state == null) {
			return null;
		}
		String normalized = state.trim().toUpperCase(Locale.ROOT).replace('-', '_');
		for (ResourceState candidate : ResourceState.values()) {
			if (candidate.name().equals(normalized)) {
				if (candidate.isTerminal()) {
					throw invalidState(state);
				}
				return candidate;
			}
		}
		throw invalidState(state);
	}

	private static InvalidParameterException invalidState(String state) {
		return new InvalidParameterException("state", state, STATE_ACCEPTED);
	}

	/**
	 * Parse a {@code limit} given as text (over HTTP, where a value that is not a number
	 * would otherwise be refused before the endpoint sees it, with a 400 that names
	 * nothing).
	 * @param limit the parameter's text, or {@code null}
	 * @return the limit, or {@code null} if not given
	 */
	static @Nullable Integer parseLimit(@Nullable String limit) {
		if (limit == null || limit.isBlank()) {
			return null;
		}
		try {
			return Integer.valueOf(limit.trim());
		}
		catch (NumberFormatException ex) {
			throw new InvalidParameterException("limit", limit, LIMIT_ACCEPTED);
		}
	}

	private static @Nullable List<String> frames(@Nullable List<StackTraceElement> site, boolean show) {
		if (site == null || !show) {
			return null;
		}
		List<String> frames = new ArrayList<>(site.size());
		site.forEach((frame) -> frames.add(frame.toString()));
		return frames;
	}

	/**
	 * The response of {@code GET /actuator/disposables}.
	 *
	 * @param summary counts by scope: open now (live, disposing) and totals since
	 * start-up of every terminal state
	 * @param resources the oldest open resources matching the request, oldest first
	 * @param leaks the most recent leaks (of the requested scope), most recent first
	 * @param open how many resources are open now (created, not disposed yet: live or
	 * disposing) and match the request's scope and state (the list is limited): the
	 * application's working set, normal on a running application; {@code leaked} in the
	 * summary is the figure that signals a problem
	 * @param links over HTTP, where to go next ({@code self}, {@code graph},
	 * {@code resource}), relative to the endpoint's own URL; {@code null} over JMX
	 */
	public record DisposablesDescriptor(Map<String, ScopeSummaryDescriptor> summary, long open,
			List<DisposableResourceDescriptor> resources, List<LeakDescriptor> leaks,
			@JsonProperty("_links") @Nullable Map<String, Link> links) implements OperationResponseBody {

		/**
		 * This response with links to follow over HTTP.
		 * @param links the links, by relation
		 * @return a copy with the links
		 */
		DisposablesDescriptor withLinks(Map<String, Link> links) {
			return new DisposablesDescriptor(this.summary, this.open, this.resources, this.leaks, links);
		}

	}

	/**
	 * The response of {@code GET /actuator/disposables/graph}: the disposal graph the
	 * shutdown would run now.
	 *
	 * @param total how many live resources there are
	 * @param truncated whether the newest were left out ({@code limit})
	 * @param nodes the resources, oldest first
	 * @param edges who waits for whom, and why ({@code DECLARED}, {@code OBSERVED},
	 * {@code OWNERSHIP})
	 * @param format the format of {@code text}: {@code dot} or {@code mermaid}
	 * @param text the graph in that format, arrows in disposal order
	 * @since 0.2.0
	 */
	public record DisposalGraphDescriptor(int total, boolean truncated, List<DisposalGraphView.Node> nodes,
			List<DisposalGraphView.Edge> edges, String format, String text) implements OperationResponseBody {
	}

	/** The text renderings of the graph. */
	private enum GraphFormat {

		DOT, MERMAID;

		static GraphFormat of(@Nullable String format) {
			if (format == null || format.isBlank()) {
				return DOT;
			}
			for (GraphFormat candidate : values()) {
				if (candidate.name().equalsIgnoreCase(format.trim())) {
					return candidate;
				}
			}
			throw new InvalidParameterException("format", format, FORMAT_ACCEPTED);
		}

	}

	/**
	 * Counts of one scope.
	 *
	 * @param live resources live now
	 * @param disposing resources being disposed now
	 * @param disposed resources disposed successfully since start-up
	 * @param failed resources whose disposal failed since start-up
	 * @param timedOut resources whose disposal timed out since start-up
	 * @param leaked resources garbage-collected undisposed since start-up
	 * @param collected resources garbage-collected since start-up whose disposal by their
	 * user the starter cannot observe (not reported as leaks)
	 */
	public record ScopeSummaryDescriptor(long live, long disposing, long disposed, long failed, long timedOut,
			long leaked, long collected) {

		static ScopeSummaryDescriptor of(Map<ResourceState, Long> counts) {
			return new ScopeSummaryDescriptor(counts.getOrDefault(ResourceState.LIVE, 0L),
					counts.getOrDefault(ResourceState.DISPOSING, 0L), counts.getOrDefault(ResourceState.DISPOSED, 0L),
					counts.getOrDefault(ResourceState.FAILED, 0L), counts.getOrDefault(ResourceState.TIMED_OUT, 0L),
					counts.getOrDefault(ResourceState.LEAKED, 0L), counts.getOrDefault(ResourceState.COLLECTED, 0L));
		}

	}

	/**
	 * One undisposed resource.
	 *
	 * @param id the id, for {@code GET /actuator/disposables/{id}}
	 * @param beanName the bean definition it was created from
	 * @param type its class name
	 * @param scope its scope
	 * @param state {@code LIVE} or {@code DISPOSING}
	 * @param mode how it is disposed, {@code ASYNC} or {@code SYNC}
	 * @param adapter the name of the {@code DisposalAdapter} that disposes it, or
	 * {@code null} when the generic rules apply
	 * @param createdAt when it was created
	 * @param age how long ago it was created
	 * @param allocationSite where it was allocated, when recorded and shown
	 */
	public record DisposableResourceDescriptor(long id, String beanName, String type, String scope, ResourceState state,
			DisposalMode mode, @Nullable String adapter, Instant createdAt, Duration age,
			@Nullable List<String> allocationSite) implements OperationResponseBody {

		static DisposableResourceDescriptor of(DisposableResource resource, Instant now, boolean showSite) {
			Instant createdAt = resource.createdAt();
			StackTraceElement[] site = resource.allocationSite();
			return new DisposableResourceDescriptor(resource.id(), resource.beanName(), resource.type(),
					resource.scope(), resource.state(), resource.mode(), resource.adapter(), createdAt,
					Duration.between(createdAt, now).isNegative() ? Duration.ZERO : Duration.between(createdAt, now),
					frames((site != null) ? Arrays.asList(site) : null, showSite));
		}

	}

	/**
	 * A recent leak.
	 *
	 * @param beanName the bean definition the leaked instance was created from
	 * @param type its class name
	 * @param scope its scope
	 * @param detectedAt when the leak was detected
	 * @param allocationSite where it was allocated, when recorded and shown
	 */
	public record LeakDescriptor(String beanName, String type, String scope, Instant detectedAt,
			@Nullable List<String> allocationSite) {

		static LeakDescriptor of(LeakReport leak, boolean showSite) {
			return new LeakDescriptor(leak.beanName(), leak.type(), leak.scope(), leak.detectedAt(),
					frames(leak.allocationSite(), showSite));
		}

	}

}
