package dev.disposables.boot.autoconfigure;

import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposalScopeThreadLocalAccessor;
import dev.disposables.spring.DisposalScopes;
import dev.disposables.spring.DisposalScopesBeanFactoryPostProcessor;
import dev.disposables.spring.ReactiveDisposalScopes;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;

/**
 * Auto-configuration of disposal scopes: the {@code disposal} scope of
 * {@code @DisposalScoped} beans, ownership of injected prototypes,
 * {@link DisposalScopes}, and — with Micrometer Context Propagation — the current scope
 * following work to other threads.
 */
// After Boot's task execution: with spring.task.execution.propagate-context=true its own
// decorator (propagating every context) is the one, and ours backs off.
@AutoConfiguration(after = DisposablesAutoConfiguration.class,
		afterName = "org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration")
@ConditionalOnBooleanProperty(name = "disposables.enabled", matchIfMissing = true)
public final class DisposablesScopesAutoConfiguration {

	private DisposablesScopesAutoConfiguration() {
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static DisposalScopesBeanFactoryPostProcessor disposalScopesBeanFactoryPostProcessor() {
		return new DisposalScopesBeanFactoryPostProcessor();
	}

	@Bean
	@ConditionalOnBean(value = DisposableRegistry.class, search = SearchStrategy.CURRENT)
	@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
	static DisposalScopes disposalScopes(ConfigurableListableBeanFactory beanFactory, DisposableRegistry registry) {
		// A ShutdownParticipant: found as a bean at shutdown, like a DisposalScopes the
		// application defines itself.
		return new DisposalScopes(beanFactory, registry);
	}

	/**
	 * Scopes for Reactor pipelines outside web exchanges.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Mono.class)
	static final class ReactorConfiguration {

		// On the registry, like DisposalScopes itself: a member class is loaded before
		// the enclosing class's bean methods, so a condition on DisposalScopes would
		// never match here.
		@Bean
		@ConditionalOnBean(value = DisposableRegistry.class, search = SearchStrategy.CURRENT)
		@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
		static ReactiveDisposalScopes reactiveDisposalScopes(DisposalScopes scopes) {
			return new ReactiveDisposalScopes(scopes);
		}

	}

	/**
	 * The current scope follows the work through Micrometer Context Propagation.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ContextRegistry.class)
	static final class ContextPropagationConfiguration {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		@ConditionalOnMissingBean
		static DisposalScopeThreadLocalAccessor disposalScopeThreadLocalAccessor() {
			DisposalScopeThreadLocalAccessor accessor = new DisposalScopeThreadLocalAccessor();
			// Normally found through META-INF/services already; registering again
			// replaces it (same key), so a class loader that hides the service file still
			// gets it.
			ContextRegistry.getInstance().registerThreadLocalAccessor(accessor);
			return accessor;
		}

		/**
		 * Applied by Boot to its auto-configured task executors (and so to
		 * {@code @Async}) when it is the only {@link TaskDecorator}; an application that
		 * defines its own decorator composes it itself. It carries only the current
		 * disposal scope: whether the other registered contexts (tracing, security, MDC)
		 * follow tasks too is the application's choice, made with Boot's
		 * {@code spring.task.execution.propagate-context}, whose decorator (carrying
		 * every context, the scope included) then replaces this one.
		 * @return the decorator that propagates the current disposal scope to the task
		 */
		@Bean
		@ConditionalOnMissingBean(TaskDecorator.class)
		@ConditionalOnBooleanProperty(name = "disposables.scopes.propagate-to-task-executors", matchIfMissing = true)
		static ContextPropagatingTaskDecorator disposablesContextPropagatingTaskDecorator() {
			return new ContextPropagatingTaskDecorator(ContextSnapshotFactory.builder()
				.captureKeyPredicate(DisposalScopeThreadLocalAccessor.KEY::equals)
				.build());
		}

	}

}
