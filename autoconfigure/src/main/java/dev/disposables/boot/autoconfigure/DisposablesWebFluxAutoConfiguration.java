package dev.disposables.boot.autoconfigure;

import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposalScopes;
import dev.disposables.spring.web.reactive.DisposalScopeArgumentResolver;
import dev.disposables.spring.web.reactive.DisposalScopeWebFilter;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.springframework.web.server.WebFilter;

/**
 * Per-exchange disposal in reactive web applications: each server exchange gets its own
 * {@code DisposalScope}, disposed when the exchange is over (response written, error,
 * client cancel), async-first, in reverse order, off the event loop. Servlet-only
 * applications never load it: WebFlux and Reactor are optional dependencies.
 *
 * <p>
 * Reactor's automatic context propagation, which makes the exchange's scope current for
 * thread-local readers ({@code @DisposalScoped} beans), is left to the application
 * ({@code spring.reactor.context-propagation=auto}): it is a JVM-wide hook that changes
 * every Reactor pipeline, not the starter's to turn on.
 *
 * <p>
 * {@code disposables.webflux.enabled=false}: exchanges get no scope, except that a
 * handler with a {@code DisposalScope} parameter still gets one for its exchange.
 */
@AutoConfiguration(after = { DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "disposables.enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ WebFilter.class, Mono.class })
public final class DisposablesWebFluxAutoConfiguration {

	private DisposablesWebFluxAutoConfiguration() {
	}

	@Bean
	@ConditionalOnBean(value = { DisposableRegistry.class, DisposalScopes.class }, search = SearchStrategy.CURRENT)
	@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
	static DisposalScopeWebFilter disposalScopeWebFilter(DisposalScopes scopes, DisposableRegistry registry,
			Environment environment) {
		DisposalScopeWebFilter filter = new DisposalScopeWebFilter(scopes);
		// Off: no scope for every exchange, but a handler that asks for one still gets
		// it.
		filter.setOnDemand(!environment.getProperty("disposables.webflux.enabled", Boolean.class, true));
		// Exchange disposals in flight are awaited at shutdown, before the singletons
		// they use.
		registry.addShutdownParticipant(filter);
		return filter;
	}

	/**
	 * A {@code DisposalScope} parameter of an annotated handler method is the exchange's
	 * scope.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebFluxConfigurer.class)
	@ConditionalOnBean(value = DisposalScopes.class, search = SearchStrategy.CURRENT)
	static final class ArgumentResolverConfiguration {

		@Bean
		static WebFluxConfigurer disposalScopeWebFluxConfigurer() {
			return new WebFluxConfigurer() {

				@Override
				public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
					configurer.addCustomResolver(new DisposalScopeArgumentResolver());
				}

			};
		}

	}

}
