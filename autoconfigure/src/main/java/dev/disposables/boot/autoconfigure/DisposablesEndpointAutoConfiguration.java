package dev.disposables.boot.autoconfigure;

import dev.disposables.boot.actuate.DisposablesEndpoint;
import dev.disposables.boot.actuate.DisposablesEndpointWebExtension;
import dev.disposables.spring.DisposableRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the {@code disposables} actuator endpoint. Like every endpoint,
 * it exists only when it is available (access not denied, exposed over HTTP or JMX); by
 * default it is not exposed over HTTP.
 */
@AutoConfiguration(after = DisposablesAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBooleanProperty(name = "disposables.enabled", matchIfMissing = true)
@ConditionalOnBean(value = DisposableRegistry.class, search = SearchStrategy.CURRENT)
@ConditionalOnAvailableEndpoint(DisposablesEndpoint.class)
@EnableConfigurationProperties(DisposablesEndpointProperties.class)
public final class DisposablesEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
	DisposablesEndpoint disposablesEndpoint(DisposableRegistry registry, DisposablesEndpointProperties properties) {
		return new DisposablesEndpoint(registry, properties.getShowValues());
	}

	@Bean
	@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
	@ConditionalOnBean(value = DisposablesEndpoint.class, search = SearchStrategy.CURRENT)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	DisposablesEndpointWebExtension disposablesEndpointWebExtension(DisposablesEndpoint endpoint,
			DisposablesEndpointProperties properties, Environment environment) {
		// The path mapping read from the environment, not from Boot's
		// PathMappedEndpoints: that bean is built from the discovered endpoints, this
		// extension among them.
		String rootPath = Binder.get(environment)
			.bind("management.endpoints.web.path-mapping", Bindable.mapOf(String.class, String.class))
			.map((mapping) -> mapping.get("disposables"))
			.orElse("disposables");
		return new DisposablesEndpointWebExtension(endpoint, properties.getShowValues(), properties.getRoles(),
				rootPath);
	}

}
