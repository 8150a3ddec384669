package dev.disposables.boot.actuate;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.disposables.spring.DisposableRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real web application with the endpoint and Prometheus exposed, and allocation sites
 * shown.
 */
@SpringBootTest(classes = DisposablesEndpointHttpIntegrationTests.Application.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=disposables,prometheus,metrics,health",
				"management.endpoint.disposables.show-values=always", "disposables.leak-detection.level=paranoid" })
class DisposablesEndpointHttpIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ObjectProvider<TestResources.Connection> connections;

	@Autowired
	ObjectProvider<TestResources.AsyncChannel> channels;

	@Autowired
	DisposableRegistry registry;

	@Test
	@SuppressWarnings("unchecked")
	void leakProducedOnPurposeShowsUpWithItsAllocationSite() {
		leakOne();
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			System.gc();
			DocumentContext json = json("/actuator/disposables?scope=prototype");
			List<Map<String, Object>> leaks = json.read("$.leaks[?(@.beanName == 'connection')]");
			assertThat(leaks).isNotEmpty();
			assertThat(leaks.get(0)).containsEntry("type", TestResources.Connection.class.getName())
				.containsEntry("scope", "prototype")
				.containsKey("detectedAt");
			List<String> site = (List<String>) leaks.get(0).get("allocationSite");
			assertThat(site.get(0)).startsWith(DisposablesEndpointHttpIntegrationTests.class.getName() + ".leakOne(");
		});
		String prometheus = get("/actuator/prometheus").body();
		assertThat(prometheus).containsPattern("disposables_leaks_resources_total\\{scope=\"prototype\"} [1-9]");
	}

	@Test
	void listsUndisposedResourcesAndOneById() {
		TestResources.AsyncChannel channel = this.channels.getObject();
		DocumentContext json = json("/actuator/disposables?scope=prototype&state=live&limit=1000");
		List<Map<String, Object>> resources = json.read("$.resources[?(@.beanName == 'asyncChannel')]");
		assertThat(resources).isNotEmpty();
		Map<String, Object> resource = resources.get(resources.size() - 1);
		assertThat(resource).containsKeys("id", "beanName", "type", "scope", "state", "mode", "createdAt", "age",
				"allocationSite");
		assertThat(resource).containsEntry("state", "LIVE").containsEntry("mode", "ASYNC");
		assertThat((String) resource.get("createdAt")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
		assertThat((String) resource.get("age")).startsWith("PT");
		assertThat(json.read("$.summary.prototype.live", Integer.class)).isPositive();
		assertThat(json.read("$.open", Integer.class)).isPositive();
		Number id = (Number) resource.get("id");
		HttpResponse<String> one = get("/actuator/disposables/" + id);
		assertThat(one.statusCode()).isEqualTo(200);
		assertThat(JsonPath.parse(one.body()).read("$.beanName", String.class)).isEqualTo("asyncChannel");
		assertThat(get("/actuator/disposables/999999999").statusCode()).isEqualTo(404);
		assertThat(get("/actuator/disposables?state=bogus").statusCode()).isEqualTo(400);
		this.registry.dispose(channel).toCompletableFuture().join();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(get("/actuator/disposables/" + id).statusCode()).isEqualTo(404));
	}

	@Test
	void aRefusedParameterIsNamedWithItsValueAndWhatIsAccepted() {
		assertBadRequest("/actuator/disposables?state=bogus", "state", "bogus", "live or disposing");
		assertBadRequest("/actuator/disposables?state=disposed", "state", "disposed", "live or disposing");
		assertBadRequest("/actuator/disposables?limit=-1", "limit", "-1", "0 or more");
		assertBadRequest("/actuator/disposables?limit=ten", "limit", "ten", "0 or more");
		assertBadRequest("/actuator/disposables/graph?format=png", "format", "png", "dot or mermaid");
		assertBadRequest("/actuator/disposables/graph?limit=ten", "limit", "ten", "0 or more");
	}

	@Test
	void theGraphIsReachableFromTheSummarysLinks() {
		HttpResponse<String> summary = get("/actuator/disposables");
		assertThat(summary.statusCode()).isEqualTo(200);
		DocumentContext json = JsonPath.parse(summary.body());
		assertThat(json.read("$._links.resource.templated", Boolean.class)).isTrue();
		// A relative reference, resolved as a client resolves it against the URL it
		// fetched.
		URI graph = summary.request().uri().resolve(json.read("$._links.graph.href", String.class));
		assertThat(graph.getPath()).isEqualTo("/actuator/disposables/graph");
		assertThat(json(graph.getPath()).read("$.text", String.class)).startsWith("digraph disposal {");
		URI self = summary.request().uri().resolve(json.read("$._links.self.href", String.class));
		assertThat(self.getPath()).isEqualTo("/actuator/disposables");
	}

	@Test
	void anIdThatIsNotAKnownNumberIsNotFound() {
		// not 400: the selector is a String, parsed by the endpoint
		for (String id : List.of("abc", "12abc", "1.5", "-1", "99999999999999999999")) {
			assertThat(get("/actuator/disposables/" + id).statusCode()).as(id).isEqualTo(404);
		}
	}

	@Test
	void theDisposalGraphIsServedNextToTheResources() {
		TestResources.Connection connection = this.connections.getObject(); // disposed
																			// below: not
																			// a leak
		DocumentContext json = json("/actuator/disposables/graph");
		assertThat(json.read("$.format", String.class)).isEqualTo("dot");
		assertThat(json.read("$.text", String.class)).startsWith("digraph disposal {");
		assertThat(json.read("$.total", Integer.class)).isPositive();
		List<String> beanNames = json.read("$.nodes[*].beanName");
		assertThat(beanNames).contains("connection");
		Map<String, Object> node = json.<List<Map<String, Object>>>read("$.nodes[?(@.beanName == 'connection')]")
			.get(0);
		assertThat(node).containsKeys("id", "beanName", "type", "scope", "mode", "state", "anchor")
			.containsEntry("scope", "prototype")
			.containsEntry("type", TestResources.Connection.class.getName());
		assertThat(json.read("$.edges", List.class)).isNotNull();
		DocumentContext mermaid = json("/actuator/disposables/graph?format=mermaid&limit=1");
		assertThat(mermaid.read("$.format", String.class)).isEqualTo("mermaid");
		assertThat(mermaid.read("$.text", String.class)).startsWith("flowchart LR\n");
		assertThat(mermaid.read("$.nodes", List.class)).hasSize(1);
		assertThat(mermaid.read("$.truncated", Boolean.class)).isTrue();
		assertThat(get("/actuator/disposables/graph?format=png").statusCode()).isEqualTo(400);
		assertThat(get("/actuator/disposables/graph?limit=-1").statusCode()).isEqualTo(400);
		assertThat(get("/actuator/disposables/graph?limit=2147483647&format=mermaid").statusCode()).isEqualTo(400);
		assertThat(get("/actuator/disposables/graph?limit=10000").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/disposables/not-a-number").statusCode()).isEqualTo(404);
		this.registry.dispose(connection).toCompletableFuture().join();
	}

	@Test
	void metricsMoveAsResourcesAreCreatedAndDisposed() {
		// The gauge of a scope appears with the scope's first resource.
		TestResources.Connection first = this.connections.getObject();
		double before = liveGauge();
		TestResources.Connection second = this.connections.getObject();
		assertThat(liveGauge()).isEqualTo(before + 1);
		this.registry.dispose(first).toCompletableFuture().join();
		this.registry.dispose(second).toCompletableFuture().join();
		// A disposal's stage completes just before the counters and listeners are
		// updated.
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(liveGauge()).isEqualTo(before - 1);
			DocumentContext disposal = json("/actuator/metrics/disposables.disposal?tag=scope:prototype&tag=mode:sync");
			assertThat(disposal.read("$.measurements[?(@.statistic == 'COUNT')].value", List.class).get(0))
				.satisfies((count) -> assertThat(((Number) count).doubleValue()).isGreaterThanOrEqualTo(2));
		});
		assertThat(get("/actuator/prometheus").body()).containsPattern(
				"disposables_disposal_seconds_count\\{adapter=\"none\",mode=\"sync\",outcome=\"success\",scope=\"prototype\"} [1-9]");
	}

	private void assertBadRequest(String path, String parameter, String value, String accepted) {
		HttpResponse<String> response = get(path);
		assertThat(response.statusCode()).as(path).isEqualTo(400);
		DocumentContext body = JsonPath.parse(response.body());
		assertThat(body.read("$.parameter", String.class)).as(path).isEqualTo(parameter);
		assertThat(body.read("$.value", String.class)).as(path).isEqualTo(value);
		assertThat(body.read("$.accepted", String.class)).as(path).contains(accepted);
		assertThat(body.read("$.message", String.class)).as(path).startsWith(parameter + " must be ");
	}

	private double liveGauge() {
		return json("/actuator/metrics/disposables.live?tag=scope:prototype").read("$.measurements[0].value",
				Double.class);
	}

	private void leakOne() {
		this.connections.getObject();
	}

	private DocumentContext json(String path) {
		HttpResponse<String> response = get(path);
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return JsonPath.parse(response.body());
	}

	private HttpResponse<String> get(String path) {
		return HttpSupport.get(this.port, path);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(TestResources.class)
	static class Application {

	}

}
