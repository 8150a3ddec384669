package dev.disposables.boot.autoconfigure;

import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposalScopes;
import dev.disposables.spring.PlainDisposalScopes;
import dev.disposables.spring.ReactiveDisposalScopes;
import dev.disposables.spring.web.reactive.DisposalScopeWebFilter;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.server.WebFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditions of {@link DisposablesWebFluxAutoConfiguration} and of the Reactor helpers:
 * reactive web applications only, optional WebFlux and Reactor,
 * {@code disposables.webflux.enabled}, {@code disposables.enabled}, and a user filter
 * backing off the default.
 */
class DisposablesWebFluxAutoConfigurationTests {

	private static final AutoConfigurations ALL = AutoConfigurations.of(DisposablesAutoConfiguration.class,
			DisposablesScopesAutoConfiguration.class, DisposablesWebAutoConfiguration.class,
			DisposablesWebFluxAutoConfiguration.class, DisposablesOffAutoConfiguration.class);

	private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
		.withConfiguration(ALL);

	@Test
	void reactiveWebApplicationGetsTheExchangeFilterTheArgumentResolverAndTheReactorHelpers() {
		this.reactive.run((context) -> {
			assertThat(context).hasSingleBean(DisposalScopeWebFilter.class);
			assertThat(context).hasSingleBean(WebFluxConfigurer.class);
			assertThat(context).hasSingleBean(ReactiveDisposalScopes.class);
			assertThat(context.getBean(DisposalScopeWebFilter.class).getOrder())
				.isEqualTo(DisposalScopeWebFilter.DEFAULT_ORDER);
		});
	}

	@Test
	void propertyLeavesTheScopeOnlyToHandlersThatAskForIt() {
		this.reactive.withPropertyValues("disposables.webflux.enabled=false").run((context) -> {
			// on demand: no scope per exchange, but a DisposalScope parameter still gets
			// one
			assertThat(context.getBean(DisposalScopeWebFilter.class).isOnDemand()).isTrue();
			assertThat(context).hasSingleBean(WebFluxConfigurer.class);
			// programmatic scopes stay
			assertThat(context).hasSingleBean(DisposalScopes.class);
			assertThat(context).hasSingleBean(ReactiveDisposalScopes.class);
		});
	}

	@Test
	void disablingTheStarterLeavesOnlyThePlainApi() {
		this.reactive.withPropertyValues("disposables.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(DisposableRegistry.class);
			assertThat(context.getBean(DisposalScopes.class)).isInstanceOf(PlainDisposalScopes.class);
			assertThat(context.getBean(DisposalScopeWebFilter.class).isOnDemand()).isTrue();
			assertThat(context).hasSingleBean(ReactiveDisposalScopes.class);
		});
	}

	@Test
	void userFilterReplacesTheDefault() {
		this.reactive.withUserConfiguration(UserFilter.class).run((context) -> {
			assertThat(context).hasSingleBean(DisposalScopeWebFilter.class);
			assertThat(context.getBean(DisposalScopeWebFilter.class).getOrder()).isEqualTo(42);
		});
	}

	@Test
	void servletApplicationHasNoExchangeFilter() {
		new WebApplicationContextRunner().withConfiguration(ALL).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(DisposalScopeWebFilter.class);
			assertThat(context).hasSingleBean(DisposalScopes.class);
		});
	}

	@Test
	void nonWebApplicationHasNoExchangeFilterButTheReactorHelpers() {
		new ApplicationContextRunner().withConfiguration(ALL).run((context) -> {
			assertThat(context).doesNotHaveBean(DisposalScopeWebFilter.class);
			assertThat(context).hasSingleBean(ReactiveDisposalScopes.class);
		});
	}

	@Test
	void withoutWebFluxOnTheClassPathTheFilterBacksOff() {
		this.reactive.withClassLoader(new FilteredClassLoader(WebFilter.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(DisposalScopeWebFilter.class);
		});
	}

	@Test
	void withoutReactorOnTheClassPathServletAndPlainApplicationsStillStart() {
		FilteredClassLoader noReactor = new FilteredClassLoader(Mono.class);
		new WebApplicationContextRunner().withConfiguration(ALL).withClassLoader(noReactor).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(DisposalScopes.class);
			assertThat(context).doesNotHaveBean(ReactiveDisposalScopes.class);
			assertThat(context).doesNotHaveBean(DisposalScopeWebFilter.class);
		});
		new ApplicationContextRunner().withConfiguration(ALL).withClassLoader(noReactor).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(ReactiveDisposalScopes.class);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserFilter {

		@Bean
		DisposalScopeWebFilter myDisposalScopeWebFilter(DisposalScopes scopes) {
			DisposalScopeWebFilter filter = new DisposalScopeWebFilter(scopes);
			filter.setOrder(42);
			return filter;
		}

	}

}
