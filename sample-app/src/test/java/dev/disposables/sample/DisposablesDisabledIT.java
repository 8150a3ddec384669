package dev.disposables.sample;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same application with {@code disposables.enabled=false} starts and stops with
 * Spring's own behaviour: no registry, no endpoint, no shutdown summary; Spring still
 * closes the request-scoped audit trail (an {@code AutoCloseable}) at the end of the
 * request and the singletons at shutdown.
 */
class DisposablesDisabledIT {

	@TempDir
	Path dataDir;

	@Test
	void startsAndStopsWithSpringsBehaviour() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.start("disposables-disabled", this.dataDir,
				"--disposables.enabled=false")) {
			HttpResponse<String> order = app.post("/orders?items=1");
			assertThat(order.statusCode()).isEqualTo(200);
			String requestId = JsonPath.read(order.body(), "$.requestId");
			// no DisposalScopes: the controller closes the prototype itself
			assertThat(app.post("/reports?lines=3").statusCode()).isEqualTo(200);
			assertThat(app.get("/actuator/disposables").statusCode()).isEqualTo(404);

			SampleAppProcess.Stopped stopped = app.stop();

			assertThat(stopped.exitCode()).isEqualTo(143);
			Measurements.record("DisposablesDisabledIT", "SIGTERM to exit " + stopped.millis() + " ms (exit code "
					+ stopped.exitCode() + ") with disposables.enabled=false");
			assertThat(app.logText()).doesNotContain("Disposed ")
				.doesNotContain("Sample tally")
				.doesNotContain(" ERROR ");
			try (Connection db = app.openAuditDatabase();
					PreparedStatement query = db
						.prepareStatement("SELECT COUNT(*) FROM audit_event WHERE request_id = ?")) {
				query.setString(1, requestId);
				try (ResultSet count = query.executeQuery()) {
					count.next();
					assertThat(count.getInt(1)).isEqualTo(4);
				}
			}
		}
	}

}
