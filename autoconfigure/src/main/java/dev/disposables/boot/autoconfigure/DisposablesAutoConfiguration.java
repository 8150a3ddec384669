package dev.disposables.boot.autoconfigure;

import java.time.Duration;

import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposablesBeanPostProcessor;
import dev.disposables.spring.DisposablesLifecycle;
import dev.disposables.spring.DisposalAdapter;
import dev.disposables.spring.DisposalSettings;
import dev.disposables.spring.ScopedResourceTracker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of Disposables: every disposable bean is disposed exactly once,
 * async-first, in dependency order and concurrently at shutdown.
 *
 * <p>
 * Every bean here is declared {@code static} and as infrastructure: the post-processor is
 * created before other beans and must not pull this configuration or the application's
 * beans in early.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "disposables.enabled", matchIfMissing = true)
@ImportRuntimeHints(DisposablesPropertiesRuntimeHints.class)
public final class DisposablesAutoConfiguration {

	private static final Log logger = LogFactory.getLog(DisposablesAutoConfiguration.class);

	private DisposablesAutoConfiguration() {
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
	static DisposablesBeanPostProcessor disposablesBeanPostProcessor(ObjectProvider<DisposableRegistry> registry,
			ObjectProvider<ScopedResourceTracker> tracker, ListableBeanFactory beanFactory) {
		// Without eager initialization: the adapters are looked up while another bean is
		// being created, and finding them must not instantiate FactoryBeans (a scoped
		// proxy's, say) just to learn their type.
		return new DisposablesBeanPostProcessor(registry, tracker,
				beanFactory.getBeanProvider(DisposalAdapter.class, false));
	}

	/**
	 * The {@code disposables.*} properties, bound and validated once, here, for every
	 * bean of the starter that needs them. Not left to
	 * {@code @EnableConfigurationProperties}: the registry may be created while
	 * post-processors are still being registered, before a properties bean would have
	 * been bound by them, and a bad value must fail startup (naming the property) before
	 * anything is tracked.
	 * @param environment the environment to bind from
	 * @return the bound properties
	 */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
	static DisposablesProperties disposablesProperties(Environment environment) {
		return DisposablesPropertiesBinder.bind(environment);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
	static DisposableRegistry disposableRegistry(DisposablesProperties properties) {
		return new DisposableRegistry(properties.toSettings());
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
	static ScopedResourceTracker disposablesScopedResourceTracker(DisposableRegistry registry) {
		return new ScopedResourceTracker(registry);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
	static DisposablesLifecycle disposablesLifecycle(DisposableRegistry registry,
			ConfigurableListableBeanFactory beanFactory, Environment environment) {
		Duration deadline = effectiveDeadline(registry.settings().shutdownTimeout(), environment);
		warnIfPerResourceTimeoutExceedsDeadline(registry.settings(), deadline);
		return new DisposablesLifecycle(registry, beanFactory, deadline);
	}

	/**
	 * The shutdown disposal runs inside Spring's last lifecycle phase, so it never waits
	 * longer than {@code spring.lifecycle.timeout-per-shutdown-phase}.
	 * @param configured the configured {@code disposables.shutdown.timeout}
	 * @param environment the environment to read the phase timeout from
	 * @return the configured timeout, capped to the phase timeout if that is shorter
	 */
	static Duration effectiveDeadline(Duration configured, Environment environment) {
		Duration phaseTimeout = Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(null);
		if (phaseTimeout != null && phaseTimeout.compareTo(configured) < 0) {
			logger.info("disposables.shutdown.timeout (" + configured + ") capped to "
					+ "spring.lifecycle.timeout-per-shutdown-phase (" + phaseTimeout + ")");
			return phaseTimeout;
		}
		return configured;
	}

	/**
	 * A per-resource timeout longer than the overall deadline never fires at shutdown: a
	 * hung disposal is cut off by the deadline instead, and so is every disposal still
	 * waiting for it. Legal, but rarely meant, so it is said once at start-up.
	 * @param settings the bound settings (per-resource timeout and configured
	 * {@code disposables.shutdown.timeout})
	 * @param deadline the shutdown deadline in force: the configured timeout, capped by
	 * {@code spring.lifecycle.timeout-per-shutdown-phase}
	 */
	static void warnIfPerResourceTimeoutExceedsDeadline(DisposalSettings settings, Duration deadline) {
		Duration perResourceTimeout = settings.perResourceTimeout();
		if (perResourceTimeout.compareTo(deadline) <= 0) {
			return;
		}
		String timeout = "disposables.shutdown.timeout (" + settings.shutdownTimeout() + ")";
		if (!deadline.equals(settings.shutdownTimeout())) {
			timeout += ", capped to " + deadline + " by spring.lifecycle.timeout-per-shutdown-phase";
		}
		logger.warn("disposables.shutdown.per-resource-timeout (" + perResourceTimeout
				+ ") is longer than the shutdown deadline, " + timeout
				+ ": a disposal that hangs at shutdown is cut off by the deadline, not by its own timeout, "
				+ "and every disposal still waiting for it is abandoned with it. "
				+ "Set disposables.shutdown.per-resource-timeout below disposables.shutdown.timeout.");
	}

}
