package dev.disposables.boot.actuate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.disposables.boot.actuate.DisposablesObservations.DisposalContext;
import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesMetricsAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesObservationAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesScopesAutoConfiguration;
import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposalScope;
import dev.disposables.spring.DisposalScopes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Each disposal is an observation, named and tagged as the {@code disposables.disposal}
 * timer; nothing is observed without an observation registry.
 */
class DisposablesObservationsTests {

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class,
				DisposablesScopesAutoConfiguration.class, DisposablesObservationAutoConfiguration.class))
		.withUserConfiguration(TestResources.class)
		.withPropertyValues("disposables.prototypes.tracking=strong");

	@Test
	void eachDisposalIsAnObservationTaggedLikeTheTimer() {
		this.runner.withBean(ObservationRegistry.class, () -> this.observations).run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			registry.dispose(context.getBean("connection")).toCompletableFuture().join();
			registry.dispose(context.getBean("asyncChannel")).toCompletableFuture().join();
			awaitStopped(2);
			assertThat(this.observations).hasNumberOfObservationsWithNameEqualTo(DisposablesObservations.NAME, 2);
			assertThat(this.observations).hasHandledContextsThatSatisfy((contexts) -> {
				assertThat(contexts).anySatisfy((observed) -> {
					assertThat(observed.getContextualName()).isEqualTo("dispose connection");
					assertThat(observed.getLowCardinalityKeyValue("scope").getValue()).isEqualTo("prototype");
					assertThat(observed.getLowCardinalityKeyValue("mode").getValue()).isEqualTo("sync");
					assertThat(observed.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("success");
					assertThat(observed.getHighCardinalityKeyValue("bean").getValue()).isEqualTo("connection");
					assertThat(observed.getHighCardinalityKeyValue("type").getValue())
						.isEqualTo(TestResources.Connection.class.getName());
					assertThat(observed.getHighCardinalityKeyValue("shutdown").getValue()).isEqualTo("false");
				});
				assertThat(contexts).anySatisfy((observed) -> {
					assertThat(observed.getContextualName()).isEqualTo("dispose asyncChannel");
					assertThat(observed.getLowCardinalityKeyValue("mode").getValue()).isEqualTo("async");
				});
			});
			assertThat(this.observations).doesNotHaveAnyRemainingCurrentObservation();
		});
	}

	@Test
	void aFailedDisposalIsAnObservationWithItsError() {
		this.runner.withBean(ObservationRegistry.class, () -> this.observations).run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			assertThatExceptionOfType(CompletionException.class)
				.isThrownBy(() -> registry.dispose(context.getBean("broken")).toCompletableFuture().join());
			awaitStopped(1);
			assertThat(this.observations).hasSingleObservationThat()
				.hasNameEqualTo(DisposablesObservations.NAME)
				.hasLowCardinalityKeyValue("outcome", "failure")
				.hasError()
				.hasBeenStopped();
		});
	}

	@Test
	void aScopeClosedByItsCallerIsObservedUnderTheCallersObservation() {
		this.runner.withBean(ObservationRegistry.class, () -> this.observations).run((context) -> {
			DisposalScopes scopes = context.getBean(DisposalScopes.class);
			Observation request = Observation.start("request", this.observations);
			try (Observation.Scope ignored = request.openScope(); DisposalScope scope = scopes.open()) {
				scope.getBean(TestResources.Connection.class);
			}
			request.stop();
			awaitStopped(1);
			assertThat(this.observations).hasObservationWithNameEqualTo(DisposablesObservations.NAME)
				.that()
				.hasParentObservationContextMatching((parent) -> "request".equals(parent.getName()));
		});
	}

	@Test
	void shutdownDisposalsAreMarked() {
		this.runner.withBean(ObservationRegistry.class, () -> this.observations)
			.run((context) -> context.getBean("connection"));
		awaitStopped(1);
		assertThat(this.observations).hasSingleObservationThat()
			.hasLowCardinalityKeyValue("scope", "prototype")
			.hasHighCardinalityKeyValue("shutdown", "true")
			.hasBeenStopped();
	}

	@Test
	void withBootsObservationAndMetricsTheDisposalIsObservedButTimedOnce() {
		List<Observation.Context> traced = new CopyOnWriteArrayList<>();
		ObservationHandler<DisposalContext> tracer = new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof DisposalContext;
			}

			@Override
			public void onStop(DisposalContext context) {
				traced.add(context);
			}

		};
		this.runner
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					DisposablesMetricsAutoConfiguration.class))
			.withBean("tracer", ObservationHandler.class, () -> tracer)
			.run((context) -> {
				DisposableRegistry registry = context.getBean(DisposableRegistry.class);
				registry.dispose(context.getBean("connection")).toCompletableFuture().join();
				await().atMost(Duration.ofSeconds(30)).until(() -> traced.size() == 1);
				assertThat(traced.get(0).getName()).isEqualTo(DisposablesObservations.NAME);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				await().atMost(Duration.ofSeconds(30))
					.until(() -> meters.find(DisposablesMetrics.DISPOSAL).timer() != null);
				assertThat(meters.getMeters()).extracting((meter) -> meter.getId().getName())
					.filteredOn((name) -> name.startsWith(DisposablesObservations.NAME))
					.isEmpty();
			});
	}

	@Test
	void withoutAnObservationRegistryNothingIsObserved() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(DisposablesObservations.class);
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			registry.dispose(context.getBean("connection")).toCompletableFuture().join();
		});
		assertThat(this.observations).doesNotHaveAnyObservation();
	}

	@Test
	void withoutMicrometerObservationTheAutoConfigurationBacksOff() {
		this.runner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DisposablesObservations.class));
	}

	/**
	 * An observation stops right after its disposal's stage completes, on a starter
	 * thread.
	 */
	private void awaitStopped(int count) {
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.observations)
				.hasNumberOfObservationsWithNameEqualTo(DisposablesObservations.NAME, count)
				.forAllObservationsWithNameEqualTo(DisposablesObservations.NAME,
						(observed) -> observed.hasLowCardinalityKeyValueWithKey("outcome")));
	}

}
