package dev.disposables.boot.actuate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.disposables.boot.actuate.DisposablesEndpoint.DisposableResourceDescriptor;
import dev.disposables.boot.actuate.DisposablesEndpoint.DisposablesDescriptor;
import dev.disposables.boot.actuate.DisposablesEndpoint.DisposalGraphDescriptor;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.annotation.RegisterReflectionForBinding;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.Link;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} for the {@link DisposablesEndpoint}:
 * over HTTP, whether allocation stack traces are shown depends on the caller
 * ({@code when-authorized}: an authenticated principal with one of the configured roles,
 * or any authenticated principal when no role is configured).
 *
 * <p>
 * A parameter value the endpoint does not accept ({@code state}, {@code limit},
 * {@code format}) is answered with a 400 whose body names the parameter, the value and
 * what is accepted ({@link InvalidParameterDescriptor}). The summary links to the graph
 * and to one resource ({@code _links}, relative to the endpoint's own URL).
 */
@EndpointWebExtension(endpoint = DisposablesEndpoint.class)
public class DisposablesEndpointWebExtension {

	private final DisposablesEndpoint delegate;

	private final Show showValues;

	private final Set<String> roles;

	private final Map<String, Link> links;

	/**
	 * Create the web extension.
	 * @param delegate the endpoint
	 * @param showValues when to show allocation stack traces
	 * @param roles roles that may see them when {@code showValues} is
	 * {@link Show#WHEN_AUTHORIZED}
	 */
	public DisposablesEndpointWebExtension(DisposablesEndpoint delegate, Show showValues, Set<String> roles) {
		this(delegate, showValues, roles, "disposables");
	}

	/**
	 * Create the web extension of an endpoint served at a mapped path.
	 * @param delegate the endpoint
	 * @param showValues when to show allocation stack traces
	 * @param roles roles that may see them when {@code showValues} is
	 * {@link Show#WHEN_AUTHORIZED}
	 * @param rootPath the endpoint's path below the actuator's base path
	 * ({@code disposables} unless mapped), for its links
	 * @since 0.2.0
	 */
	public DisposablesEndpointWebExtension(DisposablesEndpoint delegate, Show showValues, Set<String> roles,
			String rootPath) {
		this.delegate = delegate;
		this.showValues = showValues;
		this.roles = Set.copyOf(roles);
		// Relative references resolve against /actuator/<rootPath> to siblings of its
		// last segment, hence the root path in each: right whatever the base path,
		// context path, host or proxy in front.
		Map<String, Link> links = new LinkedHashMap<>();
		links.put("self", new Link(rootPath));
		links.put("graph", new Link(rootPath + "/" + DisposablesEndpoint.GRAPH));
		links.put("resource", new Link(rootPath + "/{id}"));
		this.links = Collections.unmodifiableMap(links);
	}

	/**
	 * The summary, the undisposed resources and the recent leaks.
	 * @param securityContext the caller
	 * @param scope only resources and leaks of this scope, if given
	 * @param state only resources in this state, if given
	 * @param limit at most this many resources (text, so that a value that is not a
	 * number gets the same 400 as any other invalid value)
	 * @return the descriptor with its links, or a 400 naming the invalid parameter
	 */
	@ReadOperation
	@RegisterReflectionForBinding({ DisposablesDescriptor.class, InvalidParameterDescriptor.class })
	public WebEndpointResponse<OperationResponseBody> disposables(SecurityContext securityContext,
			@Nullable String scope, @Nullable String state, @Nullable String limit) {
		try {
			DisposablesDescriptor descriptor = this.delegate.getDisposables(scope, state,
					DisposablesEndpoint.parseLimit(limit), this.showValues.isShown(securityContext, this.roles));
			return new WebEndpointResponse<>(descriptor.withLinks(this.links), WebEndpointResponse.STATUS_OK);
		}
		catch (InvalidParameterException ex) {
			return badRequest(ex);
		}
	}

	/**
	 * One undisposed resource, or the disposal graph ({@code id} =
	 * {@value DisposablesEndpoint#GRAPH}).
	 * @param securityContext the caller
	 * @param id the resource's id, or {@value DisposablesEndpoint#GRAPH}
	 * @param format the graph's text rendering, {@code dot} (default) or {@code mermaid}
	 * @param limit at most this many resources in the graph (text, as above)
	 * @return the resource or the graph, or 404 (also for an id that is neither a number
	 * nor the graph), or a 400 naming the invalid parameter
	 */
	@ReadOperation
	@RegisterReflectionForBinding({ DisposableResourceDescriptor.class, DisposalGraphDescriptor.class,
			InvalidParameterDescriptor.class })
	public WebEndpointResponse<OperationResponseBody> disposable(SecurityContext securityContext, @Selector String id,
			@Nullable String format, @Nullable String limit) {
		try {
			// limit and format are the graph's: ignored for a resource, as before.
			OperationResponseBody body = this.delegate.getDisposableOrGraph(id, format,
					DisposablesEndpoint.GRAPH.equals(id) ? DisposablesEndpoint.parseLimit(limit) : null,
					this.showValues.isShown(securityContext, this.roles));
			return (body != null) ? new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_OK)
					: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		catch (InvalidParameterException ex) {
			return badRequest(ex);
		}
	}

	private static WebEndpointResponse<OperationResponseBody> badRequest(InvalidParameterException ex) {
		return new WebEndpointResponse<>(ex.toDescriptor(), WebEndpointResponse.STATUS_BAD_REQUEST);
	}

}
