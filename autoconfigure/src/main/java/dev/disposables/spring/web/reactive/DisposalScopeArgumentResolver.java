package dev.disposables.spring.web.reactive;

import dev.disposables.spring.DisposalScope;

import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.SyncHandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;

/**
 * Resolves a {@link DisposalScope} parameter of a WebFlux handler method to the
 * exchange's scope, opened by {@link DisposalScopeWebFilter}.
 *
 * <pre class="code">
 * &#64;GetMapping("/report")
 * Mono&lt;Report&gt; report(DisposalScope scope) {
 *     return scope.getBean(ReportWriter.class).write(); // a prototype, disposed when the exchange is over
 * }
 * </pre>
 *
 * <p>
 * <strong>Internal</strong>: created by the auto-configuration, public only so that it
 * can be; not part of the public API (see "Public API" in docs/core-api.md), it may
 * change without notice.
 */
public class DisposalScopeArgumentResolver implements SyncHandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == DisposalScope.class;
	}

	@Override
	public Object resolveArgumentValue(MethodParameter parameter, BindingContext bindingContext,
			ServerWebExchange exchange) {
		DisposalScope scope = DisposalScopeWebFilter.getScope(exchange);
		if (scope == null) {
			throw new IllegalStateException("No DisposalScope for this exchange (parameter '"
					+ parameter.getParameterName() + "' of " + parameter.getExecutable().toGenericString()
					+ "): the DisposalScopeWebFilter is not registered (disposables.webflux.enabled=false?)");
		}
		return scope;
	}

}
