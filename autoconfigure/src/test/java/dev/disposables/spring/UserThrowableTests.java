package dev.disposables.spring;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A destroy method that throws a {@link Throwable} of the user's own, neither an
 * {@code Exception} nor an {@code Error}: stock Spring logs it with the bean's name; the
 * starter counts the disposal as failed and logs that same throwable, not a cast failure
 * of its own.
 */
@ExtendWith(OutputCaptureExtension.class)
class UserThrowableTests {

	@Test
	void aDestroyMethodThrowingItsOwnThrowableIsAFailureThatNamesIt(CapturedOutput output) {
		ShutdownReport[] report = new ShutdownReport[1];
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class))
			.withUserConfiguration(OddConfig.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				report[0] = context.getBean(DisposablesLifecycle.class).disposeAll();
			});
		assertThat(report[0].failed()).isEqualTo(1);
		assertThat(output).contains("odd").contains(OddThrowable.class.getName()).doesNotContain("ClassCastException");
	}

	@Test
	void aPreDestroyThrowingItsOwnThrowableBeforeACleanCloseIsStillAFailure(CapturedOutput output) {
		ShutdownReport[] report = new ShutdownReport[1];
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class))
			.withUserConfiguration(OddPreDestroyConfig.class)
			.run((context) -> report[0] = context.getBean(DisposablesLifecycle.class).disposeAll());
		assertThat(report[0].failed()).isEqualTo(1);
		assertThat(output).contains(OddThrowable.class.getName()).doesNotContain("ClassCastException");
	}

	@Configuration(proxyBeanMethods = false)
	static class OddConfig {

		@Bean(destroyMethod = "stop")
		Odd odd() {
			return new Odd();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OddPreDestroyConfig {

		@Bean
		OddPreDestroy oddPreDestroy() {
			return new OddPreDestroy();
		}

	}

	static class Odd {

		public void stop() throws Throwable {
			throw new OddThrowable();
		}

	}

	static class OddPreDestroy implements AutoCloseable {

		@jakarta.annotation.PreDestroy
		void flush() throws Throwable {
			throw new OddThrowable();
		}

		@Override
		public void close() {
		}

	}

	static class OddThrowable extends Throwable {

		OddThrowable() {
			super("neither an Exception nor an Error");
		}

	}

}
