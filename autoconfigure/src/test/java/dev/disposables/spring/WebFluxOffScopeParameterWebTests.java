package dev.disposables.spring;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code disposables.webflux.enabled=false}: a WebFlux handler with a
 * {@code DisposalScope} parameter still answers over real HTTP, and what it resolved in
 * the scope is disposed when the exchange is over.
 */
@SpringBootTest(classes = ScopeParameterWebFluxApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "disposables.webflux.enabled=false" })
class WebFluxOffScopeParameterWebTests {

	@LocalServerPort
	int port;

	@Test
	void handlerTakingADisposalScopeAnswersAndItsResourceIsDisposed() throws Exception {
		HttpResponse<String> response = LocalHttp.get(this.port, "/resource");

		assertThat(response.statusCode()).isEqualTo(200);
		int id = Integer.parseInt(response.body());
		await().untilAsserted(() -> assertThat(ScopeParameterWebFluxApp.closed).contains(id));
	}

}
