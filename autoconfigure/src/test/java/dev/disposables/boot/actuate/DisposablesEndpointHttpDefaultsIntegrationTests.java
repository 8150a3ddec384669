package dev.disposables.boot.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Nested;
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
 * Actuator defaults: the endpoint is not exposed over HTTP unless included, and
 * allocation sites are never shown unless {@code show-values} allows it.
 */
class DisposablesEndpointHttpDefaultsIntegrationTests {

	@Nested
	@SpringBootTest(classes = Application.class, webEnvironment = WebEnvironment.RANDOM_PORT)
	class NotIncluded {

		@LocalServerPort
		int port;

		@Test
		void endpointIsNotExposedOverHttp() {
			assertThat(HttpSupport.get(this.port, "/actuator/health").statusCode()).isEqualTo(200);
			assertThat(HttpSupport.get(this.port, "/actuator/disposables").statusCode()).isEqualTo(404);
			assertThat(HttpSupport.get(this.port, "/actuator/disposables/1").statusCode()).isEqualTo(404);
			assertThat(HttpSupport.get(this.port, "/actuator/disposables/graph").statusCode()).isEqualTo(404);
		}

	}

	@Nested
	@SpringBootTest(classes = Application.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
			"management.endpoints.web.exposure.include=disposables", "disposables.leak-detection.level=paranoid" })
	class IncludedWithDefaultShowValues {

		@LocalServerPort
		int port;

		@Autowired
		ObjectProvider<TestResources.Connection> connections;

		@Test
		@SuppressWarnings("unchecked")
		void allocationSitesAreNeverShownByDefault() {
			TestResources.Connection kept = this.connections.getObject();
			this.connections.getObject();
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				System.gc();
				String body = HttpSupport.get(this.port, "/actuator/disposables").body();
				DocumentContext json = JsonPath.parse(body);
				assertThat(json.read("$.leaks", List.class)).isNotEmpty();
				assertThat(json.read("$.resources", List.class)).isNotEmpty();
				assertThat(body).doesNotContain("allocationSite");
			});
			List<Map<String, Object>> resources = JsonPath
				.parse(HttpSupport.get(this.port, "/actuator/disposables").body())
				.read("$.resources");
			assertThat(resources).allSatisfy((resource) -> assertThat(resource).doesNotContainKey("allocationSite"));
			assertThat(kept).isNotNull();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(TestResources.class)
	static class Application {

	}

}
