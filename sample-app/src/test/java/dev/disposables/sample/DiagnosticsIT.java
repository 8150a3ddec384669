package dev.disposables.sample;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end, against the packaged jar: the disposal graph over HTTP, the front page in a
 * real browser (Debian's headless Chromium, skipped where it is not installed), and the
 * critical path logged at SIGTERM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiagnosticsIT {

	/**
	 * Where Debian installs them ({@code apt-get install chromium chromium-driver});
	 * overridable.
	 */
	private static final Path CHROMIUM = Paths.get(System.getProperty("chromium.binary", "/usr/bin/chromium"));

	private static final Path CHROMEDRIVER = Paths
		.get(System.getProperty("chromedriver.path", "/usr/bin/chromedriver"));

	private static final Pattern CRITICAL_PATH = Pattern.compile(" INFO .*(Shutdown critical path \\(.*)$",
			Pattern.MULTILINE);

	@TempDir
	static Path dataDir;

	@TempDir
	static Path browserProfile;

	private SampleAppProcess app;

	@BeforeAll
	void start() throws IOException {
		// threshold 0: the sample stops in well under the default 1 s, and the test wants
		// the INFO line
		this.app = SampleAppProcess.start("diagnostics", dataDir, "--disposables.shutdown.critical-path-threshold=0s",
				"--sample.housekeeping-interval=300ms");
	}

	@AfterAll
	void stop() {
		this.app.close();
	}

	@Test
	@Order(1)
	void theDisposalGraphShowsWhatTheShutdownWaitsFor() throws Exception {
		this.app.post("/orders?items=1"); // the ledger and the audit store are in use
		DocumentContext graph = json("/actuator/disposables/graph");
		assertThat(graph.read("$.format", String.class)).isEqualTo("dot");
		assertThat(graph.<List<String>>read("$.nodes[*].beanName")).contains("dataSource", "auditStore", "orderLedger",
				"telemetryClient");
		Number dataSource = graph.<List<Number>>read("$.nodes[?(@.beanName == 'dataSource')].id").get(0);
		Number auditStore = graph.<List<Number>>read("$.nodes[?(@.beanName == 'auditStore')].id").get(0);
		List<Map<String, Object>> edges = graph
			.read("$.edges[?(@.waiter == " + dataSource + " && @.waitsFor == " + auditStore + ")]");
		// Through a non-disposable bean: jdbcTemplate on a plain start; an AOT-processed
		// start may report the other
		// path Spring records (the schema initializer), both of which are real.
		assertThat(edges).singleElement().satisfies((edge) -> {
			assertThat(edge).containsEntry("reason", "DECLARED");
			assertThat((List<?>) edge.get("via")).singleElement()
				.isIn("jdbcTemplate", "dataSourceScriptDatabaseInitializer");
		});
		String dot = graph.read("$.text", String.class);
		assertThat(dot).startsWith("digraph disposal {")
			.containsPattern("n" + auditStore + " -> n" + dataSource + " \\[label=\"declared via \\w+\"\\];");
		Path e2e = Files.createDirectories(Paths.get("target", "e2e"));
		Files.writeString(e2e.resolve("sample-graph.dot"), dot);

		DocumentContext mermaid = json("/actuator/disposables/graph?format=mermaid&limit=5");
		assertThat(mermaid.read("$.text", String.class)).startsWith("flowchart LR");
		assertThat(mermaid.read("$.nodes.length()", Integer.class)).isEqualTo(5);
		assertThat(this.app.get("/actuator/disposables/graph?format=gif").statusCode()).isEqualTo(400);

		// the single-resource operation still answers by id
		HttpResponse<String> one = this.app.get("/actuator/disposables/" + dataSource);
		assertThat(one.statusCode()).isEqualTo(200);
		assertThat(JsonPath.<String>read(one.body(), "$.beanName")).isEqualTo("dataSource");
	}

	@Test
	@Order(2)
	void theFrontPageIsServed() throws Exception {
		HttpResponse<String> page = this.app.get("/");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		assertThat(page.body())
			.contains("Disposables sample application", "/actuator/disposables/graph", "data-path=\"/orders?items=3\"")
			.doesNotContainPattern("(src|href)=\"(https?:)?//"); // nothing from the
																	// network
	}

	@Test
	@Order(3)
	void theFrontPageWorksInARealBrowser() throws Exception {
		Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
				"No headless browser: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing. Install them with "
						+ "'apt-get install -y chromium chromium-driver' (.ci/run does) to run the front page in a "
						+ "real browser; skipped.");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
				"--window-size=1400,1250", "--user-data-dir=" + browserProfile.toAbsolutePath());
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		WebDriver browser = new ChromeDriver(service, options);
		try {
			WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
			browser.get(this.app.uri("/").toString());
			assertThat(browser.getTitle()).isEqualTo("Disposables sample");
			// the live view has fetched /actuator/disposables and the graph
			wait.until(
					(driver) -> "true".equals(driver.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
			assertThat(browser.findElements(By.cssSelector("#summary tr[data-scope='singleton']"))).hasSize(1);
			assertThat(browser.findElements(By.cssSelector("#graph g.node[data-bean='dataSource']"))).hasSize(1);
			assertThat(browser.findElements(By.cssSelector("#graph line.edge[data-reason='DECLARED']"))).isNotEmpty();
			assertThat(browser.findElement(By.id("dot")).getDomProperty("textContent")).startsWith("digraph");

			// a request through the button: its audit trail is disposed after it, and the
			// live view counts it
			long requestsDisposedBefore = disposedIn(browser, "request");
			browser.findElement(By.cssSelector("button[data-path='/orders?items=3']")).click();
			wait.until((driver) -> driver.findElement(By.id("output")).getText().contains("→ 200"));
			assertThat(browser.findElement(By.id("output")).getText()).contains("POST /orders?items=3", "requestId");
			wait.until((driver) -> disposedIn(driver, "request") > requestsDisposedBefore);

			// leaks show up in the live view after a GC
			browser.findElement(By.cssSelector("button[data-path='/leak?count=5']")).click();
			wait.until((driver) -> driver.findElement(By.id("output")).getText().contains("→ 200"));
			wait.until((driver) -> {
				driver.findElement(By.cssSelector("button[data-path='/gc']")).click();
				return !driver.findElements(By.cssSelector("#leaks li.leak")).isEmpty();
			});
			assertThat(browser.findElement(By.id("leaks")).getText()).contains("scratchFile");

			File screenshot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
			Path target = Files.createDirectories(Paths.get("target", "e2e")).resolve("front-page.png");
			Files.copy(screenshot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
			Measurements.record("DiagnosticsIT", "front page screenshot: " + target.toAbsolutePath());
		}
		finally {
			browser.quit();
		}
	}

	@Test
	@Order(100)
	void sigtermLogsTheCriticalPathAfterTheSummary() throws Exception {
		for (int i = 0; i < 5; i++) {
			assertThat(this.app.post("/orders?items=" + i).statusCode()).isEqualTo(200);
		}
		assertThat(this.app.post("/reports?lines=3").statusCode()).isEqualTo(200);
		SampleAppProcess.Stopped stopped = this.app.stop();
		assertThat(stopped.exitCode()).isEqualTo(143);
		long[] summary = this.app.summary();
		assertThat(summary[4]).as("failed").isZero();
		assertThat(summary[5]).as("timed out").isZero();
		String log = this.app.logText();
		Matcher criticalPath = CRITICAL_PATH.matcher(log);
		assertThat(criticalPath.find()).as("the critical path line at INFO in the log:\n%s", this.app.logTail())
			.isTrue();
		assertThat(criticalPath.start()).as("after the summary line")
			.isGreaterThan(log.indexOf("Disposed " + summary[0] + " resources"));
		String line = criticalPath.group(1);
		// the pool waits for the beans that use it: when it is on the path, it comes last
		assertThat(line).contains("disposal(s), ended at +").contains("; slowest: ");
		if (line.contains("'dataSource' (com.zaxxer.hikari.HikariDataSource, singleton, sync)")) {
			assertThat(line.indexOf("'dataSource'")).isGreaterThan(line.indexOf(" -> "));
		}
		assertThat(log).doesNotContain("dev.disposables.sample.AuditStore@", "dev.disposables.sample.OrderLedger@");
		Measurements.record("DiagnosticsIT", "critical path at SIGTERM: " + line);
	}

	private static long disposedIn(WebDriver browser, String scope) {
		List<WebElement> cells = browser
			.findElements(By.cssSelector("#summary tr[data-scope='" + scope + "'] td.disposed"));
		return cells.isEmpty() ? 0 : Long.parseLong(cells.get(0).getText().trim());
	}

	private DocumentContext json(String path) throws Exception {
		HttpResponse<String> response = this.app.get(path);
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return JsonPath.parse(response.body());
	}

}
