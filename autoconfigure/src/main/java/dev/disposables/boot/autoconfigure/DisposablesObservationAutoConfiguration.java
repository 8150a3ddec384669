package dev.disposables.boot.autoconfigure;

import dev.disposables.boot.actuate.DisposablesObservations;
import dev.disposables.boot.actuate.DisposalMeterHandler;
import dev.disposables.spring.DisposableRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the observation of each disposal, when Micrometer Observation is
 * on the class path. Uses the application's {@link ObservationRegistry} if there is one
 * (Spring Boot's, named but not referenced: it is optional), and observes nothing
 * otherwise. With Micrometer's meters on the class path too, the disposals' observations
 * make no meter of their own: the {@code disposables.disposal} timer already times them.
 *
 * @since 0.2.0
 */
@AutoConfiguration(after = DisposablesAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "disposables.enabled", matchIfMissing = true)
@ConditionalOnBean(value = DisposableRegistry.class, search = SearchStrategy.CURRENT)
public final class DisposablesObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
	DisposablesObservations disposablesObservations(DisposableRegistry registry,
			ObjectProvider<ObservationRegistry> observationRegistry) {
		return new DisposablesObservations(registry, observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.observation.MeterObservationHandler")
	static class DisposalMeterHandlerConfiguration {

		@Bean
		@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
		DisposalMeterHandler disposalMeterHandler() {
			return new DisposalMeterHandler();
		}

	}

}
