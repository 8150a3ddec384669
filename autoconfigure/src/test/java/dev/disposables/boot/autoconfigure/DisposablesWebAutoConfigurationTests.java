package dev.disposables.boot.autoconfigure;

import dev.disposables.spring.web.servlet.RequestScopeDisposalFilter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.web.filter.OncePerRequestFilter;

import static dev.disposables.boot.autoconfigure.AutoConfigurationAssertions.assertChildContextHasItsOwn;
import static dev.disposables.boot.autoconfigure.AutoConfigurationAssertions.assertDisabledContributesNone;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditions of {@link DisposablesWebAutoConfiguration}: servlet web applications only,
 * {@code disposables.enabled}, the engine's beans in the same context, and a child
 * context getting a filter of its own. It declares no {@code @ConditionalOnMissingBean},
 * so there is no user bean to back off for.
 */
class DisposablesWebAutoConfigurationTests {

	private static final AutoConfigurations WEB = AutoConfigurations.of(DisposablesAutoConfiguration.class,
			DisposablesWebAutoConfiguration.class);

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner().withConfiguration(WEB);

	@Test
	void servletApplicationGetsTheRequestScopeFilterAheadOfSpringsRequestContextFilter() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(RequestScopeDisposalFilter.class)
				.hasSingleBean(FilterRegistrationBean.class);
			FilterRegistrationBean<?> registration = context.getBean(FilterRegistrationBean.class);
			assertThat(registration.getFilter()).isSameAs(context.getBean(RequestScopeDisposalFilter.class));
			assertThat(registration.getFilterName()).isEqualTo("disposablesRequestScopeFilter");
			assertThat(registration.getOrder()).isEqualTo(DisposablesWebAutoConfiguration.FILTER_ORDER)
				.isLessThan(-105);
			assertThat(registration.isAsyncSupported()).isTrue();
		});
	}

	@Test
	void disabledContributesNone() {
		assertDisabledContributesNone(this.runner, RequestScopeDisposalFilter.class, FilterRegistrationBean.class);
	}

	@Test
	void noFilterWithoutTheEngine() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DisposablesWebAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RequestScopeDisposalFilter.class));
	}

	@Test
	void noFilterOutsideServletApplications() {
		new ApplicationContextRunner().withConfiguration(WEB)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RequestScopeDisposalFilter.class));
		new ReactiveWebApplicationContextRunner().withConfiguration(WEB)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RequestScopeDisposalFilter.class));
	}

	@Test
	void noFilterWithoutSpringWebsFilters() {
		this.runner.withClassLoader(new FilteredClassLoader(OncePerRequestFilter.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RequestScopeDisposalFilter.class));
	}

	@Test
	void childContextGetsAFilterOfItsOwn() {
		assertChildContextHasItsOwn(this.runner, RequestScopeDisposalFilter.class);
	}

}
