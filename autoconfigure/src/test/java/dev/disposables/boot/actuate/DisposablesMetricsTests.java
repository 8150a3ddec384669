package dev.disposables.boot.actuate;

import java.time.Duration;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesMetricsAutoConfiguration;
import dev.disposables.spring.DisposableRegistry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The Micrometer metrics, against a {@link SimpleMeterRegistry} and in the Prometheus
 * format.
 */
class DisposablesMetricsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DisposablesAutoConfiguration.class, DisposablesMetricsAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withUserConfiguration(TestResources.class)
		.withPropertyValues("disposables.prototypes.tracking=strong");

	@Test
	void liveGaugeFollowsCreationAndDisposal() {
		this.runner.run((context) -> {
			MeterRegistry meters = bind(context);
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			Object first = context.getBean("connection");
			context.getBean("connection");
			context.getBean("asyncChannel");
			assertThat(live(meters, "prototype")).isEqualTo(3.0);
			registry.dispose(first).toCompletableFuture().join();
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(live(meters, "prototype")).isEqualTo(2.0));
			Meter.Id id = meters.get(DisposablesMetrics.LIVE).gauge().getId();
			assertThat(id.getBaseUnit()).isEqualTo("resources");
			assertThat(id.getDescription()).isNotBlank();
		});
	}

	@Test
	void disposalTimerIsTaggedWithScopeModeAndOutcome() {
		this.runner.withPropertyValues("disposables.shutdown.per-resource-timeout=200ms").run((context) -> {
			MeterRegistry meters = bind(context);
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			registry.dispose(context.getBean("connection")).toCompletableFuture().join();
			registry.dispose(context.getBean("asyncChannel")).toCompletableFuture().join();
			assertThatException()
				.isThrownBy(() -> registry.dispose(context.getBean("broken")).toCompletableFuture().join());
			assertThatException()
				.isThrownBy(() -> registry.dispose(context.getBean("slow")).toCompletableFuture().join());
			// A disposal's stage completes just before the registry notifies its
			// listeners.
			await().atMost(TIMEOUT).untilAsserted(() -> {
				assertThat(disposals(meters, "sync", "success").count()).isEqualTo(1);
				assertThat(disposals(meters, "async", "success").count()).isEqualTo(1);
				assertThat(disposals(meters, "sync", "failure").count()).isEqualTo(1);
				assertThat(disposals(meters, "sync", "timeout").count()).isEqualTo(1);
			});
			Timer timedOut = disposals(meters, "sync", "timeout");
			assertThat(timedOut.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(150);
			assertThat(meters.get(DisposablesMetrics.DISPOSAL).meters())
				.allSatisfy((meter) -> assertThat(meter.getId().getTags()).extracting("key")
					.containsExactlyInAnyOrder("scope", "mode", "outcome", "adapter"));
		});
	}

	@Test
	void leaksAreCountedPerScope() {
		this.runner.withPropertyValues("disposables.prototypes.tracking=weak").run((context) -> {
			MeterRegistry meters = bind(context);
			context.getBean("connection");
			context.getBean("connection");
			await().atMost(TIMEOUT).untilAsserted(() -> {
				System.gc();
				assertThat(meters.get(DisposablesMetrics.LEAKS).tag("scope", "prototype").counter().count())
					.isEqualTo(2.0);
			});
			assertThat(live(meters, "prototype")).isZero();
		});
	}

	@Test
	void shutdownTimerRecordsTheShutdownDisposal() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		this.runner.run((context) -> {
			context.getBean(DisposablesMetrics.class).bindTo(meters);
			context.getBean("connection");
			assertThat(meters.get(DisposablesMetrics.SHUTDOWN).timer().count()).isZero();
		});
		assertThat(meters.get(DisposablesMetrics.SHUTDOWN).timer().count()).isEqualTo(1);
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(disposals(meters, "sync", "success").count()).isEqualTo(1));
	}

	@Test
	void scopesSeenBeforeBindingGetTheirMeters() {
		this.runner.run((context) -> {
			context.getBean("connection");
			MeterRegistry meters = bind(context);
			assertThat(live(meters, "prototype")).isEqualTo(1.0);
			assertThat(meters.get(DisposablesMetrics.LEAKS).tag("scope", "prototype").counter().count()).isZero();
		});
	}

	@Test
	void prometheusFormat() {
		this.runner.run((context) -> {
			PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
			context.getBean(DisposablesMetrics.class).bindTo(prometheus);
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			context.getBean("connection");
			registry.dispose(context.getBean("asyncChannel")).toCompletableFuture().join();
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(prometheus.scrape()).contains(
						"disposables_disposal_seconds_count{adapter=\"none\",mode=\"async\",outcome=\"success\",scope=\"prototype\"} 1"));
			String scrape = prometheus.scrape();
			assertThat(scrape).contains("# HELP disposables_live_resources Resources created and not disposed yet")
				.contains("# TYPE disposables_live_resources gauge")
				.contains("disposables_live_resources{scope=\"prototype\"} 1.0")
				.contains("# TYPE disposables_disposal_seconds summary")
				.contains(
						"disposables_disposal_seconds_count{adapter=\"none\",mode=\"async\",outcome=\"success\",scope=\"prototype\"} 1")
				.contains("# TYPE disposables_leaks_resources_total counter")
				.contains("disposables_leaks_resources_total{scope=\"prototype\"} 0.0")
				.contains("disposables_shutdown_seconds_count 0");
		});
	}

	private static MeterRegistry bind(ConfigurableApplicationContext context) {
		MeterRegistry meters = context.getBean(SimpleMeterRegistry.class);
		context.getBean(DisposablesMetrics.class).bindTo(meters);
		return meters;
	}

	private static double live(MeterRegistry meters, String scope) {
		return meters.get(DisposablesMetrics.LIVE).tag("scope", scope).gauge().value();
	}

	private static Timer disposals(MeterRegistry meters, String mode, String outcome) {
		return meters.get(DisposablesMetrics.DISPOSAL)
			.tag("scope", "prototype")
			.tag("mode", mode)
			.tag("outcome", outcome)
			.timer();
	}

}
