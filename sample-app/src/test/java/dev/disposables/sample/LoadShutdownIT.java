package dev.disposables.sample;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end load and shutdown: about 50 concurrent clients, SIGTERM in the middle of the
 * load. Every request the server accepted completes (no 5xx caused by disposed
 * resources), the others are refused cleanly (connection refused or closed before a
 * response, or 503), and the numbers add up: resources created = disposed + leaked, audit
 * rows = successful requests, one complete report file per successful report request.
 */
class LoadShutdownIT {

	private static final int CLIENTS = 50;

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);

	/**
	 * Outcomes that are fine: a 200, or a request the server did not accept — connection
	 * refused, connection closed without an answer, 503, or a 4xx produced by the server
	 * before the request reached the application (no {@code X-Request-Id}: Tomcat
	 * answering a request on a connection it is closing; seen once in about ten runs).
	 * None of them is audited, which the audit check below proves.
	 */
	private static final Set<String> CLEAN = Set.of("200", "503", "refused", "closed", "rejected");

	@TempDir
	Path dataDir;

	@Test
	void sigtermInTheMiddleOfTheLoad() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.start("load-shutdown", this.dataDir,
				"--disposables.shutdown.timeout=" + SHUTDOWN_TIMEOUT.toSeconds() + "s",
				"--sample.housekeeping-interval=500ms")) {
			Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
			AtomicBoolean sigtermSent = new AtomicBoolean();
			ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
			for (int c = 0; c < CLIENTS; c++) {
				int client = c;
				clients.execute(() -> runClient(app, client, sigtermSent, outcomes));
			}
			// load for a while: until a few hundred requests have succeeded (a few
			// seconds on a quiet machine)
			await().atMost(Duration.ofSeconds(120))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> outcomes.stream().filter(Outcome::succeeded).count() >= 300);
			long beforeSigterm = outcomes.size();
			sigtermSent.set(true);
			SampleAppProcess.Stopped stopped = app.stop();
			clients.shutdown();
			assertThat(clients.awaitTermination(120, TimeUnit.SECONDS)).as("clients finished").isTrue();

			List<Outcome> all = List.copyOf(outcomes);
			List<Outcome> succeeded = all.stream().filter(Outcome::succeeded).toList();
			Map<String, Long> byKind = all.stream()
				.collect(Collectors.groupingBy(Outcome::kind, TreeMap::new, Collectors.counting()));
			Map<String, Long> successesByEndpoint = succeeded.stream()
				.collect(Collectors.groupingBy(Outcome::endpoint, TreeMap::new, Collectors.counting()));
			long[] summary = app.summary();
			Map<String, Long> tally = app.tally();
			Map<String, Map<String, Long>> registry = app.registryCounts();
			Measurements.record("LoadShutdownIT",
					CLIENTS + " clients, " + all.size() + " requests (" + beforeSigterm + " before SIGTERM): " + byKind
							+ "; successes by endpoint " + successesByEndpoint + "; SIGTERM to exit " + stopped.millis()
							+ " ms (exit code " + stopped.exitCode() + "); summary: disposed " + summary[0] + " (async "
							+ summary[1] + ", sync " + summary[2] + ") in " + summary[3] + " ms, " + summary[4]
							+ " failed, " + summary[5] + " timed out; tally " + tally + "; registry " + registry);

			all.stream()
				.filter((outcome) -> !outcome.succeeded() && !outcome.kind().equals("refused"))
				.map((outcome) -> outcome.kind() + ": " + outcome.failure())
				.distinct()
				.limit(5)
				.forEach((detail) -> Measurements.record("LoadShutdownIT", "not answered with 200: " + detail));

			// every request got an answer or was refused cleanly, and only once the
			// shutdown had begun
			assertThat(all).filteredOn((outcome) -> !outcome.afterSigterm() && !outcome.succeeded())
				.as("requests that failed before SIGTERM")
				.isEmpty();
			assertThat(all).filteredOn((outcome) -> !CLEAN.contains(outcome.kind()))
				.as("requests neither answered with 200 nor refused cleanly")
				.isEmpty();
			assertThat(stopped.exitCode()).isEqualTo(143);
			assertThat(stopped.millis()).isLessThan(SHUTDOWN_TIMEOUT.toMillis());
			assertThat(summary[4]).as("failed").isZero();
			assertThat(summary[5]).as("timed out").isZero();
			assertThat(app.logText()).doesNotContain("ObjectDisposedException").doesNotContain(" ERROR ");

			// resources created = disposed + leaked, nothing left live, nothing failed or
			// timed out
			registry.forEach((scope, counts) -> assertThat(counts).as("registry counts of scope %s", scope)
				.containsEntry("LIVE", 0L)
				.containsEntry("DISPOSING", 0L)
				.containsEntry("FAILED", 0L)
				.containsEntry("TIMED_OUT", 0L));
			long created = tally.get("auditTrailsCreated") + tally.get("reportsCreated") + tally.get("scratchCreated")
					+ tally.get("unitsOfWorkCreated");
			long disposedOrLeaked = registry.entrySet()
				.stream()
				.filter((scope) -> !scope.getKey().equals("singleton"))
				.mapToLong((scope) -> scope.getValue().get("DISPOSED") + scope.getValue().get("LEAKED")
						+ scope.getValue().getOrDefault("COLLECTED", 0L))
				.sum();
			assertThat(disposedOrLeaked)
				.as("request, prototype and disposal-scoped resources: disposed + leaked + collected (classes that do "
						+ "not announce their disposal)")
				.isEqualTo(created);
			assertThat(tally.get("scratchDisposed") + registry.get("prototype").get("LEAKED"))
				.as("scratch files: disposed + leaked")
				.isEqualTo(tally.get("scratchCreated"));
			assertThat(tally.get("reportsClosed")).isEqualTo(tally.get("reportsCreated"));
			assertThat(tally.get("telemetryWritten")).isEqualTo(tally.get("telemetryRecorded"));

			// audit rows = requests the application completed: every successful one, plus
			// at
			// most the ones whose connection was closed after SIGTERM (the server can
			// finish
			// a request whose response the closing connection then loses: seen once in
			// about
			// 650 requests). Nothing the application completed goes unaudited.
			Set<String> successIds = succeeded.stream().map(Outcome::requestId).collect(Collectors.toSet());
			assertThat(successIds).hasSize(succeeded.size());
			Map<String, Long> cutAfterSigterm = all.stream()
				.filter((outcome) -> outcome.afterSigterm() && outcome.kind().equals("closed"))
				.collect(Collectors.groupingBy(Outcome::endpoint, Collectors.counting()));
			long cut = cutAfterSigterm.values().stream().mapToLong(Long::longValue).sum();
			assertThat(tally.get("auditTrailsWritten")).isEqualTo(tally.get("auditTrailsCreated"))
				.isBetween((long) succeeded.size(), succeeded.size() + cut);
			Set<String> audited = new HashSet<>();
			try (Connection db = app.openAuditDatabase();
					Statement statement = db.createStatement();
					ResultSet rows = statement.executeQuery("SELECT request_id, status FROM audit_request")) {
				while (rows.next()) {
					audited.add(rows.getString(1));
					assertThat(rows.getInt(2)).isEqualTo(200);
				}
			}
			assertThat(audited).containsAll(successIds).hasSize(tally.get("auditTrailsWritten").intValue());

			// one complete report file per successful report request
			List<Path> reports = EndpointsAndShutdownIT.listFiles(this.dataDir.resolve("reports"));
			long reportSuccesses = successesByEndpoint.getOrDefault("/reports", 0L);
			assertThat((long) reports.size()).isBetween(reportSuccesses,
					reportSuccesses + cutAfterSigterm.getOrDefault("/reports", 0L));
			for (Path report : reports) {
				List<String> lines = EndpointsAndShutdownIT.readLines(report);
				assertThat(lines.get(lines.size() - 1)).as("last line of %s", report).startsWith(ReportWriter.TRAILER);
			}
		}
	}

	private static void runClient(SampleAppProcess app, int client, AtomicBoolean sigtermSent,
			Queue<Outcome> outcomes) {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
		for (long n = client; app.process.isAlive(); n++) {
			String endpoint;
			String path;
			String method = "POST";
			switch ((int) (n % 10)) {
				case 7, 8 -> {
					endpoint = "/reports";
					path = "/reports?lines=20";
				}
				case 9 -> {
					endpoint = "/leak";
					path = "/leak?count=1";
					method = "GET";
				}
				default -> {
					endpoint = "/orders";
					path = "/orders?items=" + (n % 5);
				}
			}
			HttpRequest request = HttpRequest.newBuilder(app.uri(path))
				.method(method, HttpRequest.BodyPublishers.noBody())
				.timeout(Duration.ofSeconds(60))
				.build();
			try {
				HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
				int status = response.statusCode();
				boolean ok = status == 200;
				String requestId = ok ? JsonPath.read(response.body(), "$.requestId") : null;
				boolean reachedApplication = response.headers().firstValue("X-Request-Id").isPresent();
				String kind = (ok || status == 503) ? Integer.toString(status)
						: (status >= 400 && status < 500 && !reachedApplication) ? "rejected" : "status " + status;
				outcomes.add(new Outcome(endpoint, kind, requestId, sigtermSent.get(),
						ok ? null : response.headers().map() + " " + response.body()));
			}
			catch (HttpTimeoutException ex) {
				outcomes.add(new Outcome(endpoint, "timeout", null, sigtermSent.get(), ex.toString()));
			}
			catch (ConnectException ex) {
				outcomes.add(new Outcome(endpoint, "refused", null, sigtermSent.get(), ex.toString()));
				backOff();
			}
			catch (IOException ex) {
				// the server closed the connection without answering: the request was not
				// accepted
				outcomes.add(new Outcome(endpoint, "closed", null, sigtermSent.get(), ex.toString()));
				backOff();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				outcomes.add(new Outcome(endpoint, "client error", null, sigtermSent.get(), ex.toString()));
			}
		}
	}

	/** A refused client waits a little before trying again, as a real one would. */
	private static void backOff() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * What one request got.
	 *
	 * @param endpoint the endpoint
	 * @param kind {@code 200}, {@code 503}, {@code refused}, {@code closed},
	 * {@code rejected}, {@code timeout}, ...
	 * @param requestId the request id of a 200
	 * @param afterSigterm whether SIGTERM had been sent when the outcome arrived
	 * @param failure what went wrong, if anything
	 */
	record Outcome(String endpoint, String kind, String requestId, boolean afterSigterm, String failure) {

		boolean succeeded() {
			return "200".equals(this.kind);
		}

	}

}
