package dev.disposables.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules of {@code monitoring/} are valid ({@code promtool check rules}) and
 * pass their unit tests ({@code promtool test rules}). Needs Prometheus' {@code promtool}
 * (Debian's {@code prometheus} package, which {@code .ci/run} installs); skipped with a
 * message without it. Also checks the PromQL of the rules and the dashboard names only
 * the starter's meters, without promtool.
 */
class MonitoringRulesTests {

	private static @Nullable String promtool;

	@BeforeAll
	static void findPromtool() {
		String configured = System.getProperty("promtool.binary");
		promtool = (configured != null && !configured.isBlank())
				? (Files.isExecutable(Paths.get(configured)) ? configured : null) : onPath("promtool");
	}

	@Test
	void rulesAreValid() throws Exception {
		assertThat(run("check", "rules", MonitoringFiles.RULES.toString())).contains("SUCCESS: 4 rules found");
	}

	@Test
	void rulesPassTheirUnitTests() throws Exception {
		assertThat(run("test", "rules", MonitoringFiles.RULE_TESTS.toString())).contains("SUCCESS");
	}

	@Test
	void everyQueryNamesAStarterMeter() throws IOException {
		List<String> expressions = new ArrayList<>(MonitoringFiles.ruleExpressions());
		expressions.addAll(MonitoringFiles.dashboardExpressions());
		assertThat(expressions).hasSizeGreaterThan(10);
		for (String expression : expressions) {
			assertThat(MonitoringFiles.metricNames(expression)).as(expression)
				.isNotEmpty()
				.allSatisfy((name) -> assertThat(name).startsWith("disposables_"));
		}
		assertThat(MonitoringFiles.dashboardVariableMetrics()).containsExactly("disposables_live_resources");
	}

	@Test
	void metricNamesAreReadFromPromql() {
		assertThat(MonitoringFiles.metricNames(
				"sum by (instance, scope) (rate(disposables_leaks_resources_total{job=~\"$job\",outcome=\"a b\"}[$__rate_interval]))"
						+ " / on (instance) group_left max(up offset 5m) > bool 1e3"))
			.containsExactly("disposables_leaks_resources_total", "up");
	}

	private static String run(String... arguments) throws IOException, InterruptedException {
		Assumptions.assumeTrue(promtool != null,
				"promtool not found on the PATH (nor -Dpromtool.binary): the alert rules are not checked. "
						+ "Install it with 'apt-get install -y prometheus' (.ci/run does) to run these tests.");
		List<String> command = new ArrayList<>(List.of(promtool));
		command.addAll(List.of(arguments));
		Path output = Files.createTempFile("promtool", ".log");
		try {
			Process process = new ProcessBuilder(command).directory(MonitoringFiles.FOLDER.toFile())
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("promtool finished").isTrue();
			String text = Files.readString(output, StandardCharsets.UTF_8);
			assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + text).isZero();
			return text;
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	private static @Nullable String onPath(String program) {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
			Path candidate = Paths.get(dir, program);
			if (Files.isExecutable(candidate)) {
				return candidate.toString();
			}
		}
		return null;
	}

}
