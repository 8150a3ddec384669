package dev.disposables.boot.autoconfigure;

import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.ScopedResourceTracker;
import dev.disposables.spring.web.servlet.RequestScopeDisposalFilter;
import jakarta.servlet.Filter;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.web.context.request.async.WebAsyncManager;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Request scope done right in servlet web applications: request-scoped disposables are
 * disposed when the request has really completed (async requests included), in reverse
 * creation order, async-first, off the request thread.
 */
@AutoConfiguration(after = DisposablesAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "disposables.enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ Filter.class, OncePerRequestFilter.class, WebAsyncManager.class, FilterRegistrationBean.class })
public final class DisposablesWebAutoConfiguration {

	/**
	 * Ahead of Spring's {@code RequestContextFilter} ({@code -105}), so that the
	 * request's resources are known before any request-scoped bean is created and
	 * disposed only after every dispatch has exited.
	 */
	static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

	private DisposablesWebAutoConfiguration() {
	}

	/**
	 * A bean of its own (not only inside the registration) so that the shutdown finds it
	 * as a {@link dev.disposables.spring.ShutdownParticipant} and awaits the request
	 * disposals in flight.
	 * @param tracker the tracker of the request-scoped resources
	 * @return the filter that disposes each request's resources
	 */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnBean(value = { DisposableRegistry.class, ScopedResourceTracker.class },
			search = SearchStrategy.CURRENT)
	static RequestScopeDisposalFilter disposablesRequestScopeDisposalFilter(ScopedResourceTracker tracker) {
		return new RequestScopeDisposalFilter(tracker);
	}

	@Bean
	@ConditionalOnBean(value = { DisposableRegistry.class, ScopedResourceTracker.class },
			search = SearchStrategy.CURRENT)
	static FilterRegistrationBean<RequestScopeDisposalFilter> disposablesRequestScopeFilter(
			RequestScopeDisposalFilter filter) {
		FilterRegistrationBean<RequestScopeDisposalFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setName("disposablesRequestScopeFilter");
		registration.setOrder(FILTER_ORDER);
		registration.setAsyncSupported(true);
		return registration;
	}

}
