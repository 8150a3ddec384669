package dev.disposables.sample;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end, against the packaged jar: every endpoint over HTTP, then SIGTERM — the
 * process exits cleanly within the deadline, logs the shutdown summary, every report file
 * is complete and the audit table holds exactly one row set per completed request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndpointsAndShutdownIT {

	/** The deadline the app is started with; the shutdown must end well within it. */
	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(15);

	@TempDir
	static Path dataDir;

	private SampleAppProcess app;

	/** Request id to the number of audit events the request must have written. */
	private final Map<String, Integer> completed = new HashMap<>();

	private final List<String> reports = new ArrayList<>();

	/**
	 * How many orders were placed, each recorded by the {@code @Transactional}
	 * {@link OrderLedger}.
	 */
	private int orders;

	@BeforeAll
	void start() throws IOException {
		this.app = SampleAppProcess.start("endpoints-and-shutdown", dataDir,
				"--disposables.shutdown.timeout=" + SHUTDOWN_TIMEOUT.toSeconds() + "s",
				"--sample.housekeeping-interval=300ms", "--sample.telemetry-flush-interval=200ms");
	}

	@AfterAll
	void stop() {
		this.app.close();
	}

	@Test
	@Order(1)
	void ordersAreAuditedAfterTheRequest() throws Exception {
		HttpResponse<String> order = this.app.post("/orders?items=2");
		assertThat(order.statusCode()).isEqualTo(200);
		this.orders++;
		String requestId = JsonPath.read(order.body(), "$.requestId");
		assertThat(order.headers().firstValue("X-Request-Id")).hasValue(requestId);
		this.completed.put(requestId, 4);

		// written asynchronously once the request has completed
		await().atMost(Duration.ofSeconds(30)).until(() -> this.app.get("/audit/" + requestId).statusCode() == 200);
		String audit = this.app.get("/audit/" + requestId).body();
		List<String> events = JsonPath.read(audit, "$.events");
		assertThat(events).containsExactly("begin POST /orders", "priced 2 items", "stored", "end 200");
		assertThat(this.app.get("/audit/no-such-request").statusCode()).isEqualTo(404);
	}

	@Test
	@Order(2)
	void reportsAreWrittenInADisposalScope() throws Exception {
		HttpResponse<String> report = this.app.post("/reports?lines=5");
		assertThat(report.statusCode()).isEqualTo(200);
		this.completed.put(JsonPath.read(report.body(), "$.requestId"), 3);
		Path file = Path.of((String) JsonPath.read(report.body(), "$.file"));
		this.reports.add(file.getFileName().toString());
		// the scope ended with the request's block: the writer has been closed, trailer
		// and all
		List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		assertThat(lines).hasSize(7);
		assertThat(lines.get(lines.size() - 1)).startsWith(ReportWriter.TRAILER).endsWith(": 5 lines");
	}

	@Test
	@Order(3)
	void theScheduledJobCommitsOneUnitOfWorkPerRun() {
		Path log = dataDir.resolve("housekeeping.log");
		await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(log) && Files.readAllLines(log).size() >= 2);
		assertThat(readLines(log))
			.allSatisfy((line) -> assertThat(line).matches("run \\d+ at .*: reports=\\d+, scratch=\\d+, job done"));
	}

	@Test
	@Order(4)
	void theEndpointListsWhatIsOpenAndThePlantedLeakAfterAGc() throws Exception {
		HttpResponse<String> disposables = this.app.get("/actuator/disposables");
		assertThat(disposables.statusCode()).isEqualTo(200);
		String json = disposables.body();
		assertThat(JsonPath.<List<String>>read(json, "$.resources[?(@.scope == 'singleton')].beanName"))
			.contains("telemetryClient", "auditStore", "dataSource");
		assertThat(JsonPath.<List<String>>read(json, "$.resources[?(@.beanName == 'telemetryClient')].state"))
			.containsExactly("LIVE");
		Integer telemetryId = JsonPath.<List<Integer>>read(json, "$.resources[?(@.beanName == 'telemetryClient')].id")
			.get(0);
		HttpResponse<String> one = this.app.get("/actuator/disposables/" + telemetryId);
		assertThat(one.statusCode()).isEqualTo(200);
		assertThat(JsonPath.<String>read(one.body(), "$.type")).isEqualTo(TelemetryClient.class.getName());
		assertThat(JsonPath.<String>read(one.body(), "$.mode")).isEqualTo("ASYNC");
		assertThat(this.app.get("/actuator/disposables/999999999").statusCode()).isEqualTo(404);
		int leakedBefore = prototypeLeaks();

		HttpResponse<String> leak = this.app.get("/leak?count=5");
		assertThat(leak.statusCode()).isEqualTo(200);
		this.completed.put(JsonPath.read(leak.body(), "$.requestId"), 3);

		// the test cannot collect garbage in another JVM: the sample does it on request
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
			this.app.post("/gc");
			return prototypeLeaks() >= leakedBefore + 5;
		});
		String after = this.app.get("/actuator/disposables").body();
		assertThat(JsonPath.<List<String>>read(after, "$.leaks[*].beanName")).contains("scratchFile");
		assertThat(JsonPath.<List<String>>read(after, "$.leaks[?(@.beanName == 'scratchFile')].type"))
			.allMatch(ScratchFile.class.getName()::equals);
		// the leak cleanup each ScratchFile registered has deleted its file
		await().atMost(Duration.ofSeconds(30)).until(() -> listFiles(dataDir.resolve("scratch")).isEmpty());
	}

	/**
	 * The {@code @Transactional} ledger is a CGLIB proxy; the endpoint names the user's
	 * class. Bug (1) today.
	 */
	@Test
	@Order(7)
	void theProxiedLedgerIsListedUnderItsOwnClass() throws Exception {
		String json = this.app.get("/actuator/disposables").body();
		assertThat(JsonPath.<List<String>>read(json, "$.resources[?(@.beanName == 'orderLedger')].type"))
			.as("type of the @Transactional (CGLIB-proxied) orderLedger in /actuator/disposables")
			.containsExactly(OrderLedger.class.getName());
	}

	@Test
	@Order(5)
	void metricsAreExposed() throws Exception {
		HttpResponse<String> live = this.app.get("/actuator/metrics/disposables.live");
		assertThat(live.statusCode()).isEqualTo(200);
		assertThat(JsonPath.<List<String>>read(live.body(), "$.availableTags[?(@.tag == 'scope')].values[*]"))
			.contains("singleton");
		assertThat(this.app.get("/actuator/metrics/disposables.leaks").statusCode()).isEqualTo(200);
		assertThat(this.app.get("/actuator/metrics/disposables.disposal").statusCode()).isEqualTo(200);
		String prometheus = this.app.get("/actuator/prometheus").body();
		assertThat(prometheus).contains("disposables_live", "disposables_leaks", "disposables_disposal_seconds");
	}

	@Test
	@Order(6)
	void statsAndTelemetryAreServed() throws Exception {
		HttpResponse<String> stats = this.app.get("/stats");
		assertThat(stats.statusCode()).isEqualTo(200);
		assertThat(JsonPath.<Integer>read(stats.body(), "$.auditTrailsCreated")).isPositive();
		HttpResponse<String> telemetry = this.app.get("/telemetry");
		assertThat(telemetry.statusCode()).isEqualTo(200);
		assertThat(JsonPath.<Integer>read(telemetry.body(), "$.recorded")).isPositive();
	}

	@Test
	@Order(100)
	void sigtermDisposesEverythingAndLosesNothing() throws Exception {
		for (int i = 0; i < 10; i++) {
			HttpResponse<String> order = this.app.post("/orders?items=" + i);
			assertThat(order.statusCode()).isEqualTo(200);
			this.orders++;
			this.completed.put(JsonPath.read(order.body(), "$.requestId"), 4);
		}
		for (int i = 0; i < 3; i++) {
			HttpResponse<String> report = this.app.post("/reports?lines=" + (10 * i));
			assertThat(report.statusCode()).isEqualTo(200);
			this.completed.put(JsonPath.read(report.body(), "$.requestId"), 3);
			this.reports.add(Path.of((String) JsonPath.read(report.body(), "$.file")).getFileName().toString());
		}
		HttpResponse<String> leak = this.app.get("/leak?count=3"); // alive at shutdown:
																	// disposed then
		this.completed.put(JsonPath.read(leak.body(), "$.requestId"), 3);

		SampleAppProcess.Stopped stopped = this.app.stop();

		// A JVM ended by SIGTERM exits with 128 + 15 once its shutdown hooks (Boot's
		// context close) have run
		assertThat(stopped.exitCode()).as("exit code after SIGTERM").isEqualTo(143);
		assertThat(stopped.millis()).as("time from SIGTERM to exit").isLessThan(SHUTDOWN_TIMEOUT.toMillis());
		long[] summary = this.app.summary();
		assertThat(summary[4]).as("failed").isZero();
		assertThat(summary[5]).as("timed out").isZero();
		assertThat(this.app.logText()).doesNotContain("ObjectDisposedException").doesNotContain(" ERROR ");
		Measurements.record("EndpointsAndShutdownIT",
				"SIGTERM to exit " + stopped.millis() + " ms (exit code " + stopped.exitCode() + "); summary: disposed "
						+ summary[0] + " (async " + summary[1] + ", sync " + summary[2] + ") in " + summary[3] + " ms, "
						+ summary[4] + " failed, " + summary[5] + " timed out");

		Map<String, Long> tally = this.app.tally();
		assertThat(tally.get("auditTrailsWritten")).isEqualTo(tally.get("auditTrailsCreated"))
			.isEqualTo(this.completed.size());
		assertThat(tally.get("reportsClosed")).isEqualTo(tally.get("reportsCreated"));
		assertThat(tally.get("telemetryWritten")).as("telemetry: last batch written at disposal")
			.isEqualTo(tally.get("telemetryRecorded"));
		assertThat(tally.get("unitsOfWorkCommitted")).isEqualTo(tally.get("unitsOfWorkCreated"));
		Map<String, Map<String, Long>> registry = this.app.registryCounts();
		registry.forEach((scope, counts) -> assertThat(counts).as("registry counts of scope %s", scope)
			.containsEntry("LIVE", 0L)
			.containsEntry("DISPOSING", 0L)
			.containsEntry("FAILED", 0L)
			.containsEntry("TIMED_OUT", 0L));
		assertThat(tally.get("scratchCreated")).as("scratch files created = disposed + leaked")
			.isEqualTo(tally.get("scratchDisposed") + registry.get("prototype").get("LEAKED"));

		// the telemetry file holds every event recorded, the last batch included
		assertThat(readLines(dataDir.resolve("telemetry.ndjson"))).hasSize(tally.get("telemetryRecorded").intValue());

		// every report file is complete
		List<Path> reportFiles = listFiles(dataDir.resolve("reports"));
		assertThat(reportFiles).extracting((file) -> file.getFileName().toString())
			.containsExactlyInAnyOrderElementsOf(this.reports);
		for (Path file : reportFiles) {
			List<String> lines = readLines(file);
			assertThat(lines.get(lines.size() - 1)).as("last line of %s", file).startsWith(ReportWriter.TRAILER);
		}
		// no scratch file is left behind: disposed at shutdown, or cleaned after the leak
		assertThat(listFiles(dataDir.resolve("scratch"))).isEmpty();

		// the audit table, read after the process is gone: one row set per completed
		// request, nothing lost
		Map<String, Integer> audited = new HashMap<>();
		try (Connection db = this.app.openAuditDatabase(); Statement statement = db.createStatement()) {
			try (ResultSet rows = statement.executeQuery("SELECT r.request_id, r.event_count, COUNT(e.seq) "
					+ "FROM audit_request r LEFT JOIN audit_event e ON e.request_id = r.request_id "
					+ "GROUP BY r.request_id, r.event_count")) {
				while (rows.next()) {
					assertThat(rows.getInt(3)).as("events of %s", rows.getString(1)).isEqualTo(rows.getInt(2));
					audited.put(rows.getString(1), rows.getInt(2));
				}
			}
		}
		assertThat(audited).isEqualTo(this.completed);
	}

	/**
	 * The {@code @Transactional} (CGLIB-proxied) ledger's private {@code @PreDestroy}
	 * method ran exactly once at SIGTERM, on the bean itself (the proxy has no
	 * {@code JdbcTemplate}), before the {@code DataSource} was closed: one row in
	 * {@code ledger_close}, read after the process has exited. Fails today because of bug
	 * (1): the method is invoked on the proxy and throws a {@code NullPointerException}.
	 */
	@Test
	@Order(101)
	void theTransactionalLedgerIsClosedOnceOnItselfAtSigterm() throws Exception {
		if (this.app.process.isAlive()) {
			this.app.stop(); // the test before did not get that far
		}
		List<Integer> closes = new ArrayList<>();
		int ledgerRows;
		try (Connection db = this.app.openAuditDatabase(); Statement statement = db.createStatement()) {
			try (ResultSet rows = statement.executeQuery("SELECT recorded FROM ledger_close")) {
				while (rows.next()) {
					closes.add(rows.getInt(1));
				}
			}
			try (ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM order_ledger")) {
				count.next();
				ledgerRows = count.getInt(1);
			}
		}
		assertThat(ledgerRows).as("orders recorded in the ledger's transactions").isEqualTo(this.orders);
		assertThat(closes)
			.as("rows written by OrderLedger's @PreDestroy at SIGTERM (exactly once, on the bean "
					+ "itself, with its count of orders); log:\n%s", this.app.logTail())
			.containsExactly(this.orders);
		assertThat(this.app.logText()).containsOnlyOnce("Order ledger closed after " + this.orders + " orders")
			.doesNotContain("NullPointerException");
	}

	private int prototypeLeaks() throws Exception {
		String json = this.app.get("/actuator/disposables").body();
		Map<String, Map<String, Number>> summary = JsonPath.read(json, "$.summary");
		Map<String, Number> prototypes = summary.get("prototype");
		return (prototypes != null) ? prototypes.get("leaked").intValue() : 0;
	}

	static List<String> readLines(Path file) {
		try {
			return Files.readAllLines(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	static List<Path> listFiles(Path directory) throws IOException {
		if (!Files.isDirectory(directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(directory)) {
			return files.toList();
		}
	}

}
