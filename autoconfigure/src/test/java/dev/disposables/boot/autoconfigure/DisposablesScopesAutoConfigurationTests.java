package dev.disposables.boot.autoconfigure;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.disposables.spring.DisposalScopeThreadLocalAccessor;
import dev.disposables.spring.DisposalScoped;
import dev.disposables.spring.DisposalScopes;
import dev.disposables.spring.DisposalScopesBeanFactoryPostProcessor;
import dev.disposables.spring.ReactiveDisposalScopes;
import io.micrometer.context.ContextRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionProperties;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.util.ClassUtils;

import static dev.disposables.boot.autoconfigure.AutoConfigurationAssertions.assertChildContextHasItsOwn;
import static dev.disposables.boot.autoconfigure.AutoConfigurationAssertions.assertDisabledContributesNone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Conditions of {@link DisposablesScopesAutoConfiguration}: what it contributes,
 * {@code disposables.enabled}, the optional Micrometer Context Propagation, user beans
 * backing off the defaults, and a child context getting scopes of its own.
 */
class DisposablesScopesAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class));

	@Test
	void contributesTheDisposalScopeAndItsHelpers() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(DisposalScopesBeanFactoryPostProcessor.class)
				.hasSingleBean(DisposalScopes.class)
				.hasSingleBean(ReactiveDisposalScopes.class)
				.hasSingleBean(DisposalScopeThreadLocalAccessor.class)
				.getBean(TaskDecorator.class)
				.isInstanceOf(ContextPropagatingTaskDecorator.class);
			assertThat(context.getBeanFactory().getRegisteredScope(DisposalScoped.SCOPE_NAME)).isNotNull();
		});
	}

	@Test
	void disabledContributesNone() {
		assertDisabledContributesNone(this.runner, DisposalScopesBeanFactoryPostProcessor.class, DisposalScopes.class,
				ReactiveDisposalScopes.class, DisposalScopeThreadLocalAccessor.class, TaskDecorator.class);
	}

	@Test
	void noScopesWithoutTheEngine() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DisposablesScopesAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(DisposalScopes.class)
				.doesNotHaveBean(ReactiveDisposalScopes.class));
	}

	@Test
	void noPropagationWithoutContextPropagation() {
		this.runner.withClassLoader(new FilteredClassLoader(ContextRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(DisposalScopes.class)
				.doesNotHaveBean(DisposalScopeThreadLocalAccessor.class)
				.doesNotHaveBean(TaskDecorator.class));
	}

	@Test
	void propertyTurnsTheTaskDecoratorOff() {
		this.runner.withPropertyValues("disposables.scopes.propagate-to-task-executors=false")
			.run((context) -> assertThat(context).hasSingleBean(DisposalScopeThreadLocalAccessor.class)
				.doesNotHaveBean(TaskDecorator.class));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(
			classes = { DisposalScopes.class, ReactiveDisposalScopes.class, DisposalScopeThreadLocalAccessor.class })
	void userBeanBacksOff(Class<?> type) {
		// constructed from the context's beans, as a user's @Bean method would be
		this.runner.withBean("user", type)
			.run((context) -> assertThat(context).getBeans(type).containsOnlyKeys("user"));
	}

	@Test
	void userTaskDecoratorBacksOff() {
		TaskDecorator decorator = (runnable) -> runnable;
		this.runner.withBean(TaskDecorator.class, () -> decorator)
			.run((context) -> assertThat(context).getBean(TaskDecorator.class).isSameAs(decorator));
	}

	@Test
	void theDecoratorCarriesTheDisposalScopeAndNoOtherContext() {
		ThreadLocal<String> tenant = new ThreadLocal<>();
		ContextRegistry.getInstance()
			.registerThreadLocalAccessor("test.tenant", tenant::get, tenant::set, tenant::remove);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			this.runner.run((context) -> {
				TaskDecorator decorator = context.getBean(TaskDecorator.class);
				DisposalScopes scopes = context.getBean(DisposalScopes.class);
				AtomicReference<Object> scopeSeen = new AtomicReference<>();
				AtomicReference<Object> tenantSeen = new AtomicReference<>("unset");
				tenant.set("acme");
				try {
					scopes.call(() -> {
						Future<?> task = executor.submit(decorator.decorate(() -> {
							scopeSeen.set(scopes.current().orElse(null));
							tenantSeen.set(tenant.get());
						}));
						task.get(10, TimeUnit.SECONDS);
						assertThat(scopeSeen.get()).as("the scope of the submitter")
							.isNotNull()
							.isSameAs(scopes.current().orElseThrow());
						return null;
					});
				}
				finally {
					tenant.remove();
				}
				assertThat(tenantSeen.get()).as("another registered context is not propagated").isNull();
			});
		}
		finally {
			executor.shutdownNow();
			ContextRegistry.getInstance().removeThreadLocalAccessor("test.tenant");
		}
	}

	@Test
	void bootsOwnContextPropagationReplacesTheDecorator() {
		assumeTrue(ClassUtils.hasMethod(TaskExecutionProperties.class, "getPropagateContext"),
				"spring.task.execution.propagate-context is new in Spring Boot 4.1");
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
					DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class))
			.withPropertyValues("spring.task.execution.propagate-context=true")
			.run((context) -> assertThat(context).hasSingleBean(TaskDecorator.class)
				.doesNotHaveBean("disposablesContextPropagatingTaskDecorator"));
	}

	@Test
	void childContextGetsScopesOfItsOwn() {
		assertChildContextHasItsOwn(this.runner, DisposalScopesBeanFactoryPostProcessor.class, DisposalScopes.class,
				ReactiveDisposalScopes.class);
	}

}
