package dev.disposables.sample;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end, against the packaged jar: every metric the alert rules and the Grafana
 * dashboard of {@code monitoring/} query is one the running application publishes on
 * {@code /actuator/prometheus}, and the rules' unit tests feed series of the same names
 * and label keys as the real scrape.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitoringIT {

	/** A sample line of the text format: its name and, if any, its labels. */
	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})?\\s");

	/** A label name in a label set. */
	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

	/**
	 * The labels Prometheus adds when it scrapes, absent from the application's output.
	 */
	private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

	@TempDir
	static Path dataDir;

	private SampleAppProcess app;

	/** Sample name to the label-name sets it is served with. */
	private final Map<String, Set<Set<String>>> scraped = new HashMap<>();

	@BeforeAll
	void startAndScrape() throws Exception {
		this.app = SampleAppProcess.start("monitoring", dataDir);
		// Disposals of request, DisposalScope and prototype resources, so that the
		// disposal timer has series.
		assertThat(this.app.post("/orders?items=2").statusCode()).isEqualTo(200);
		assertThat(this.app.post("/reports?lines=2").statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.app.get("/actuator/prometheus").body().contains("disposables_disposal_seconds_count{"));
		for (String line : this.app.get("/actuator/prometheus").body().split("\n")) {
			Matcher sample = SAMPLE.matcher(line);
			if (sample.find()) {
				this.scraped.computeIfAbsent(sample.group(1), (name) -> new HashSet<>())
					.add(labelNames(sample.group(3)));
			}
		}
	}

	@AfterAll
	void stop() {
		if (this.app != null) {
			this.app.close();
		}
	}

	@Test
	void everyMetricTheRulesAndTheDashboardQueryIsPublished() throws IOException {
		List<String> expressions = new ArrayList<>(MonitoringFiles.ruleExpressions());
		expressions.addAll(MonitoringFiles.dashboardExpressions());
		Set<String> used = new TreeSet<>(MonitoringFiles.dashboardVariableMetrics());
		expressions.forEach((expression) -> used.addAll(MonitoringFiles.metricNames(expression)));
		assertThat(used).contains("disposables_leaks_resources_total", "disposables_disposal_seconds_count",
				"disposables_disposal_seconds_max", "disposables_live_resources");
		assertThat(used)
			.allSatisfy((name) -> assertThat(this.scraped).as("published by the sample application").containsKey(name));
	}

	@Test
	void theRuleTestsSeriesAreShapedLikeTheRealScrape() throws IOException {
		List<String> series = MonitoringFiles.ruleTestSeries();
		assertThat(series).isNotEmpty();
		for (String input : series) {
			Matcher sample = SAMPLE.matcher(input + " ");
			assertThat(sample.find()).as(input).isTrue();
			Set<String> labels = labelNames(sample.group(3));
			assertThat(labels).as(input).containsAll(TARGET_LABELS);
			labels.removeAll(TARGET_LABELS);
			assertThat(this.scraped.get(sample.group(1))).as(input + " as served by the sample application")
				.isNotNull()
				.contains(labels);
		}
	}

	private static Set<String> labelNames(String labels) {
		Set<String> names = new TreeSet<>();
		if (labels != null) {
			Matcher label = LABEL.matcher(labels);
			while (label.find()) {
				names.add(label.group(1));
			}
		}
		return names;
	}

}
