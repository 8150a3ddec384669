package dev.disposables.boot.autoconfigure;

import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;
import org.springframework.boot.test.context.runner.AbstractApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks every Disposables auto-configuration passes: {@code disposables.enabled=false}
 * turns it off, and a child context gets beans of its own (the conditions search the
 * current context only, {@code SearchStrategy.CURRENT}).
 */
final class AutoConfigurationAssertions {

	private AutoConfigurationAssertions() {
	}

	/**
	 * Asserts that with {@code disposables.enabled=false} the context starts and has no
	 * bean of the given types.
	 */
	static <R extends AbstractApplicationContextRunner<R, C, A>, C extends ConfigurableApplicationContext, A extends ApplicationContextAssertProvider<C>> void assertDisabledContributesNone(
			R runner, Class<?>... types) {
		runner.withPropertyValues("disposables.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			for (Class<?> type : types) {
				assertThat(context).doesNotHaveBean(type);
			}
		});
	}

	/**
	 * Asserts that a child context started by the runner, under a parent started by the
	 * same runner, defines one bean of each type itself, not the parent's.
	 */
	static <R extends AbstractApplicationContextRunner<R, C, A>, C extends ConfigurableApplicationContext, A extends ApplicationContextAssertProvider<C>> void assertChildContextHasItsOwn(
			R runner, Class<?>... types) {
		assertChildContextHasItsOwn(runner, runner, types);
	}

	/**
	 * Asserts that a child context started by {@code childRunner} under a parent started
	 * by {@code parentRunner} defines one bean of each type itself, not the parent's.
	 */
	static <R extends AbstractApplicationContextRunner<R, C, A>, C extends ConfigurableApplicationContext, A extends ApplicationContextAssertProvider<C>> void assertChildContextHasItsOwn(
			R parentRunner, R childRunner, Class<?>... types) {
		parentRunner.run((parent) -> childRunner.withParent(parent).run((child) -> {
			assertThat(child).hasNotFailed();
			for (Class<?> type : types) {
				assertHasItsOwn(parent, child, type);
			}
		}));
	}

	private static void assertHasItsOwn(ApplicationContext parent, ApplicationContext child, Class<?> type) {
		// getBeanNamesForType does not search ancestors
		assertThat(child.getBeanNamesForType(type)).as("%s beans of the child context", type.getSimpleName())
			.hasSize(1);
		assertThat(child.getBean(type)).isNotSameAs(parent.getBean(type));
	}

}
