package dev.disposables.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import dev.disposables.test.DisposablesLeakCheck;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's endpoints, in-process, with
 * {@link DisposablesLeakCheck @DisposablesLeakCheck}: each test fails if a prototype, a
 * {@code DisposalScope}'s or a request's resource it caused is still undisposed at its
 * end. (The {@code *IT} tests run the packaged jar in another process, where no test
 * extension can look inside.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sample.data-dir=./target/leak-check-data", "sample.housekeeping-interval=1h" })
// The audit trail of a request is written to the database after the response: allow for a
// cold connection pool.
@DisposablesLeakCheck(gracePeriod = "5s")
class SampleLeakCheckTests {

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@LocalServerPort
	int port;

	@Test
	void aReportWriterIsClosedByTheDisposalScopeThatCreatedIt() throws Exception {
		HttpResponse<String> response = post("/reports?lines=3");
		assertThat(response.statusCode()).isEqualTo(200);
		Path file = Path.of(JsonPath.<String>read(response.body(), "$.file"));
		List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		assertThat(lines).hasSize(5).last().asString().startsWith(ReportWriter.TRAILER);
	}

	@Test
	void anOrderDisposesItsRequestScopedAuditTrailAfterTheResponse() throws Exception {
		assertThat(post("/orders?items=2").statusCode()).isEqualTo(200);
	}

	/**
	 * {@code GET /leak} drops scratch files on purpose, to show leak detection: this test
	 * opts out (without the opt-out it fails, naming bean 'scratchFile' and the line of
	 * {@code SampleController.leak} that allocated it).
	 */
	@Test
	@DisposablesLeakCheck(enabled = false)
	void theLeakEndpointLeaksOnPurpose() throws Exception {
		assertThat(send(HttpRequest.newBuilder(uri("/leak?count=2")).GET()).statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> post(String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
