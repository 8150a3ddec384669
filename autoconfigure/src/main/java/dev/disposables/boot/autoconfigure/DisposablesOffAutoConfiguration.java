package dev.disposables.boot.autoconfigure;

import dev.disposables.spring.DisposalScopes;
import dev.disposables.spring.DisposalScopesBeanFactoryPostProcessor;
import dev.disposables.spring.DisposalSettings;
import dev.disposables.spring.PlainDisposalScopes;
import dev.disposables.spring.ReactiveDisposalScopes;
import dev.disposables.spring.web.reactive.DisposalScopeArgumentResolver;
import dev.disposables.spring.web.reactive.DisposalScopeWebFilter;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.springframework.web.server.WebFilter;

/**
 * With the starter switched off ({@code disposables.enabled=false}), the API an
 * application uses keeps working, plainly: {@link DisposalScopes} (and
 * {@code @DisposalScoped} beans, {@link ReactiveDisposalScopes}, a {@code DisposalScope}
 * WebFlux handler parameter) open and close scopes that dispose what they own. Nothing
 * else is tracked and Spring's own destruction is left untouched: no post-processor, no
 * shutdown takeover, no endpoint, no metrics.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "disposables.enabled", havingValue = false)
public final class DisposablesOffAutoConfiguration {

	private DisposablesOffAutoConfiguration() {
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static DisposalScopesBeanFactoryPostProcessor disposalScopesBeanFactoryPostProcessor() {
		return new DisposalScopesBeanFactoryPostProcessor(true);
	}

	@Bean
	@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
	static PlainDisposalScopes disposalScopes(ConfigurableListableBeanFactory beanFactory) {
		// The defaults: with the starter off its properties are ignored, invalid ones
		// too.
		return new PlainDisposalScopes(beanFactory, DisposalSettings.defaults());
	}

	/**
	 * Scopes for Reactor pipelines outside web exchanges.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Mono.class)
	static final class ReactorConfiguration {

		@Bean
		@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
		static ReactiveDisposalScopes reactiveDisposalScopes(DisposalScopes scopes) {
			return new ReactiveDisposalScopes(scopes);
		}

	}

	/**
	 * A {@code DisposalScope} handler parameter of a reactive web application: the
	 * exchange's scope, opened only when a handler asks for it.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass({ WebFilter.class, Mono.class, WebFluxConfigurer.class })
	static final class WebFluxConfiguration {

		@Bean
		@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
		static DisposalScopeWebFilter disposalScopeWebFilter(DisposalScopes scopes) {
			DisposalScopeWebFilter filter = new DisposalScopeWebFilter(scopes);
			filter.setOnDemand(true);
			return filter;
		}

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
