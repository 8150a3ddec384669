package dev.disposables.sample;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.yaml.snakeyaml.Yaml;

/**
 * The files of the repository's {@code monitoring/} folder (alert rules, their unit
 * tests, the Grafana dashboard), and the metric names their PromQL queries use.
 */
final class MonitoringFiles {

	/**
	 * The folder, from the sample-app module (Maven runs tests in the module's folder).
	 */
	static final Path FOLDER = Paths.get(System.getProperty("monitoring.dir", "../monitoring")).toAbsolutePath();

	static final Path RULES = FOLDER.resolve("disposables-alerts.yml");

	static final Path RULE_TESTS = FOLDER.resolve("disposables-alerts-test.yml");

	static final Path DASHBOARD = FOLDER.resolve("disposables-dashboard.json");

	/** PromQL words that are not metric names (when not followed by a parenthesis). */
	private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
			"bool", "and", "or", "unless", "offset", "inf", "nan");

	private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

	private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");

	private MonitoringFiles() {
	}

	/** The PromQL expression of every alert rule. */
	@SuppressWarnings("unchecked")
	static List<String> ruleExpressions() throws IOException {
		List<String> expressions = new ArrayList<>();
		for (Map<String, Object> group : (List<Map<String, Object>>) yaml(RULES).get("groups")) {
			for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
				expressions.add((String) rule.get("expr"));
			}
		}
		return expressions;
	}

	/** The input series of the rules' unit tests, in promtool's series notation. */
	@SuppressWarnings("unchecked")
	static List<String> ruleTestSeries() throws IOException {
		List<String> series = new ArrayList<>();
		for (Map<String, Object> test : (List<Map<String, Object>>) yaml(RULE_TESTS).get("tests")) {
			for (Map<String, Object> input : (List<Map<String, Object>>) test.get("input_series")) {
				series.add((String) input.get("series"));
			}
		}
		return series;
	}

	/** The PromQL expression of every panel's query of the dashboard. */
	static List<String> dashboardExpressions() throws IOException {
		return JsonPath.read(DASHBOARD.toFile(), "$.panels[*].targets[*].expr");
	}

	/**
	 * The metric names of the dashboard's variables
	 * ({@code label_values(metric, label)}).
	 */
	static Set<String> dashboardVariableMetrics() throws IOException {
		List<String> definitions = new ArrayList<>(
				JsonPath.<List<String>>read(DASHBOARD.toFile(), "$.templating.list[*].definition"));
		definitions.addAll(JsonPath.read(DASHBOARD.toFile(), "$.templating.list[*].query.query"));
		Set<String> names = new TreeSet<>();
		for (String definition : definitions) {
			Matcher matcher = LABEL_VALUES.matcher(definition);
			while (matcher.find()) {
				names.add(matcher.group(1));
			}
		}
		return names;
	}

	/**
	 * The metric names a PromQL expression selects: identifiers that are not functions or
	 * aggregations (followed by a parenthesis), keywords, label names (inside braces or
	 * the parentheses of {@code by}, {@code without}, {@code on}...) nor durations.
	 * @param expression the expression
	 * @return the metric names
	 */
	static Set<String> metricNames(String expression) {
		String stripped = expression.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
			.replaceAll("\\{[^}]*}", " ")
			.replaceAll("\\[[^]]*]", " ")
			.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
		Set<String> names = new TreeSet<>();
		Matcher matcher = IDENTIFIER.matcher(stripped);
		while (matcher.find()) {
			String word = matcher.group();
			boolean preceded = matcher.start() > 0 && (Character.isDigit(stripped.charAt(matcher.start() - 1))
					|| stripped.charAt(matcher.start() - 1) == '$' || stripped.charAt(matcher.start() - 1) == '.');
			boolean function = stripped.substring(matcher.end()).stripLeading().startsWith("(");
			if (!preceded && !function && !KEYWORDS.contains(word.toLowerCase())) {
				names.add(word);
			}
		}
		return names;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> yaml(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return (Map<String, Object>) new Yaml().load(in);
		}
	}

}
