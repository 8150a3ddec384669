package dev.disposables.boot.autoconfigure;

import dev.disposables.boot.actuate.DisposablesMetrics;
import dev.disposables.spring.DisposableRegistry;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the Disposables metrics, when Micrometer is on the class path and
 * a {@link MeterRegistry} bean exists. Ordered after Spring Boot's metrics
 * auto-configurations (named, not referenced: they are optional) so that the registry
 * bean is known when the condition is evaluated.
 */
@AutoConfiguration(after = DisposablesAutoConfiguration.class, afterName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "disposables.enabled", matchIfMissing = true)
@ConditionalOnBean(value = DisposableRegistry.class, search = SearchStrategy.CURRENT)
public final class DisposablesMetricsAutoConfiguration {

	/**
	 * Each context binds its own registry's metrics; a child context without a
	 * {@link MeterRegistry} of its own has none bound (Boot binds a context's binders to
	 * the registries of that context).
	 * @param registry the registry whose resources are measured
	 * @return the metrics of this context's registry
	 */
	@Bean
	@ConditionalOnBean(MeterRegistry.class)
	@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
	DisposablesMetrics disposablesMetrics(DisposableRegistry registry) {
		return new DisposablesMetrics(registry);
	}

}
