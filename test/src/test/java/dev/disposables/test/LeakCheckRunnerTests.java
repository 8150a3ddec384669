package dev.disposables.test;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesScopesAutoConfiguration;
import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposalScope;
import dev.disposables.spring.DisposalScopes;
import dev.disposables.test.LeakCheckTestApplication.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.disposables.test.LeakCheck.leakChecked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * {@link LeakCheck#leakChecked} around {@code ApplicationContextRunner} consumers.
 */
class LeakCheckRunnerTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class))
		.withUserConfiguration(LeakCheckTestApplication.class)
		.withPropertyValues("disposables.leak-detection.level=paranoid");

	@AfterEach
	void release() {
		LeakCheckTestApplication.kept.clear();
	}

	@Test
	void failsWhenTheConsumerLeavesAResourceUndisposed() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.runner
				.run(leakChecked((context) -> LeakCheckTestApplication.kept.add(context.getBean("session")))))
			.withMessageStartingWith("The ApplicationContextRunner consumer left 1 resource undisposed")
			.withMessageContaining("bean 'session' (" + Session.class.getName() + ", scope prototype) LIVE")
			.withMessageContaining("allocated at " + LeakCheckRunnerTests.class.getName());
	}

	@Test
	void passesWhenTheConsumerDisposesWhatItCreates() {
		assertThatNoException().isThrownBy(() -> this.runner.run(leakChecked((context) -> {
			try (DisposalScope scope = context.getBean(DisposalScopes.class).open()) {
				LeakCheckTestApplication.kept.add(scope.getBean("session", Session.class));
			}
			Session session = context.getBean("otherSession", Session.class);
			context.getBean(DisposableRegistry.class).dispose(session).toCompletableFuture().join();
		})));
	}

	@Test
	void aFailureOfTheConsumerIsReportedAlone() {
		assertThatIllegalStateException().isThrownBy(() -> this.runner.run(leakChecked((context) -> {
			LeakCheckTestApplication.kept.add(context.getBean("session"));
			throw new IllegalStateException("boom");
		}))).withMessage("boom").satisfies((ex) -> assertThat(ex.getSuppressed()).isEmpty());
	}

	@Test
	void aContextWithoutRegistryFailsSayingWhy() {
		assertThatIllegalStateException().isThrownBy(() -> new ApplicationContextRunner().run(leakChecked((context) -> {
		})))
			.withMessageContaining("No DisposableRegistry in the application context")
			.withMessageContaining("@AutoConfigureDisposables");
	}

}
