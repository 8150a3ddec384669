package dev.disposables.boot.actuate;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import dev.disposables.spring.DisposableRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a Prometheus server scrapes from a Spring Boot application with the starter,
 * Micrometer's observations and the Prometheus registry all auto-configured: exactly the
 * documented meter families, each with its help text, and one timing of a disposal (not a
 * second one made from the disposal's observation). The same application as
 * {@link DisposablesEndpointHttpIntegrationTests} (one cached context).
 */
@SpringBootTest(classes = DisposablesEndpointHttpIntegrationTests.Application.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=disposables,prometheus,metrics,health",
				"management.endpoint.disposables.show-values=always", "disposables.leak-detection.level=paranoid" })
class DisposablesPrometheusScrapeTests {

	/**
	 * The families of docs/observability.md, by Prometheus name, with their type: a
	 * Micrometer timer is a summary and a gauge of its maximum.
	 */
	static final Map<String, String> DOCUMENTED_FAMILIES = Map.of("disposables_live_resources", "gauge",
			"disposables_disposal_seconds", "summary", "disposables_disposal_seconds_max", "gauge",
			"disposables_leaks_resources_total", "counter", "disposables_shutdown_seconds", "summary",
			"disposables_shutdown_seconds_max", "gauge");

	@LocalServerPort
	int port;

	@Autowired
	ObjectProvider<TestResources.Connection> connections;

	@Autowired
	DisposableRegistry registry;

	@Autowired
	ObservationRegistry observationRegistry;

	@Test
	void afterADisposalExactlyTheDocumentedFamiliesAreScrapedEachWithItsHelp() {
		// The case that timed each disposal twice: observations on, with Boot's meter
		// handler.
		assertThat(this.observationRegistry.isNoop()).isFalse();
		this.registry.dispose(this.connections.getObject()).toCompletableFuture().join();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(scrape()).contains("disposables_disposal_seconds_count{"));
		Map<String, String> types = new TreeMap<>();
		Map<String, String> helps = new TreeMap<>();
		for (String line : scrape().split("\n")) {
			String[] parts = line.split(" ", 4);
			if (parts.length >= 3 && parts[0].equals("#") && parts[2].startsWith("disposables")) {
				String text = (parts.length == 4) ? parts[3].trim() : "";
				if (parts[1].equals("TYPE")) {
					types.put(parts[2], text);
				}
				else if (parts[1].equals("HELP")) {
					helps.put(parts[2], text);
				}
			}
		}
		assertThat(types).containsExactlyInAnyOrderEntriesOf(DOCUMENTED_FAMILIES);
		assertThat(helps.keySet()).containsExactlyInAnyOrderElementsOf(DOCUMENTED_FAMILIES.keySet());
		assertThat(helps).allSatisfy((family, help) -> assertThat(help).as(family).isNotBlank());
	}

	private String scrape() {
		HttpResponse<String> response = HttpSupport.get(this.port, "/actuator/prometheus");
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

}
