package dev.disposables.boot.actuate;

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
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} for the {@link DisposablesEndpoint}:
 * over HTTP, whether allocation stack traces are shown depends on the caller
 * ({@code when-authorized}: an authenticated principal with one of the configured roles,
 * or any authenticated principal when no role is configured).
 */
@EndpointWebExtension(endpoint = DisposablesEndpoint.class)
public class DisposablesEndpointWebExtension {

	private final DisposablesEndpoint delegate;

	private final Show showValues;

	private final Set<String> roles;

	/**
	 * Create the web extension.
	 * @param delegate the endpoint
	 * @param showValues when to show allocation stack traces
	 * @param roles roles that may see them when {@code showValues} is
	 * {@link Show#WHEN_AUTHORIZED}
	 */
	public DisposablesEndpointWebExtension(DisposablesEndpoint delegate, Show showValues, Set<String> roles) {
		this.delegate = delegate;
		this.showValues = showValues;
		this.roles = Set.copyOf(roles);
	}

	/**
	 * The summary, the undisposed resources and the recent leaks.
	 * @param securityContext the caller
	 * @param scope only resources and leaks of this scope, if given
	 * @param state only resources in this state, if given
	 * @param limit at most this many resources
	 * @return the descriptor
	 */
	@ReadOperation
	public DisposablesDescriptor disposables(SecurityContext securityContext, @Nullable String scope,
			@Nullable String state, @Nullable Integer limit) {
		return this.delegate.getDisposables(scope, state, limit, this.showValues.isShown(securityContext, this.roles));
	}

	/**
	 * One undisposed resource, or the disposal graph ({@code id} =
	 * {@value DisposablesEndpoint#GRAPH}).
	 * @param securityContext the caller
	 * @param id the resource's id, or {@value DisposablesEndpoint#GRAPH}
	 * @param format the graph's text rendering, {@code dot} (default) or {@code mermaid}
	 * @param limit at most this many resources in the graph
	 * @return the resource or the graph, or 404 (also for an id that is neither a number
	 * nor the graph)
	 */
	@ReadOperation
	@RegisterReflectionForBinding({ DisposableResourceDescriptor.class, DisposalGraphDescriptor.class })
	public WebEndpointResponse<OperationResponseBody> disposable(SecurityContext securityContext, @Selector String id,
			@Nullable String format, @Nullable Integer limit) {
		OperationResponseBody body = this.delegate.getDisposableOrGraph(id, format, limit,
				this.showValues.isShown(securityContext, this.roles));
		return (body != null) ? new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_OK)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

}
