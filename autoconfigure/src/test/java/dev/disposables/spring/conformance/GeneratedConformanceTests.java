package dev.disposables.spring.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.disposables.spring.conformance.ConformanceRules.Verdict;
import dev.disposables.spring.conformance.Scenario.Detection;
import dev.disposables.spring.conformance.Scenario.HelperScope;
import dev.disposables.spring.conformance.Scenario.Mechanism;
import dev.disposables.spring.conformance.Scenario.Proxying;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random points of the whole space (detection x proxying x scope x dependency x trigger x
 * AOT-style definitions), each run on stock Spring and with the starter and judged by
 * {@link ConformanceRules}.
 *
 * <p>
 * The seed is fixed, so a run is reproducible; jqwik prints it with a failure. To explore
 * other points, change {@link #SEED}. Shrinking is off: a try is two application
 * contexts, and the failure message already names the scenario and shows both journals.
 *
 * <p>
 * With {@code -Dconformance.census=true} every try runs even when some fail, and all
 * divergences are written to {@code target/conformance-census.txt} (the property then
 * fails once, at the end) — a map of what is broken, for whoever fixes it.
 */
class GeneratedConformanceTests {

	static final String SEED = "20261129";

	private static final boolean CENSUS = Boolean.getBoolean("conformance.census");

	private static final List<Verdict> divergent = new CopyOnWriteArrayList<>();

	@Property(tries = 250, seed = SEED, shrinking = ShrinkingMode.OFF)
	void everyScenarioConforms(@ForAll("scenarios") Scenario scenario) {
		Verdict verdict = ConformanceRules.judge(scenario);
		if (CENSUS) {
			if (!verdict.violations().isEmpty()) {
				divergent.add(verdict);
			}
			return;
		}
		verdict.assertNoViolations();
	}

	@Provide
	Arbitrary<Scenario> scenarios() {
		Arbitrary<Boolean> aot = Arbitraries
			.frequency(List.of(net.jqwik.api.Tuple.of(1, true), net.jqwik.api.Tuple.of(3, false)));
		return Combinators
			.combine(Arbitraries.of(Detection.class), Arbitraries.of(Proxying.class), Arbitraries.of(Mechanism.class),
					Arbitraries.of(HelperScope.class), aot)
			.flatAs((detection, proxying, mechanism, scope, aotStyle) -> Arbitraries
				.of(scope.dependencies().stream().sorted().toList())
				.flatMap((dependency) -> Arbitraries.of(Scenario.triggers(scope, dependency, detection, proxying))
					.map((trigger) -> new Scenario(detection, proxying, mechanism, scope, dependency, trigger,
							aotStyle))));
	}

	@AfterContainer
	static void reportCensus() throws IOException {
		if (!CENSUS) {
			return;
		}
		Map<String, Integer> byViolation = new TreeMap<>();
		StringBuilder text = new StringBuilder();
		for (Verdict verdict : divergent) {
			verdict.violations()
				.forEach((violation) -> byViolation.merge(
						violation.replaceAll("#\\d+", "#n").replaceAll("\\[\\d+\\.\\.\\d+\\]", ""), 1, Integer::sum));
			text.append(verdict.describe()).append("\n\n");
		}
		StringBuilder summary = new StringBuilder(divergent.size() + " divergent scenarios\n");
		byViolation.forEach((violation, count) -> summary.append(count).append(" x ").append(violation).append('\n'));
		Path report = Path.of("target", "conformance-census.txt");
		Files.writeString(report, summary + "\n" + text);
		if (!divergent.isEmpty()) {
			throw new AssertionError(summary + "(details in " + report.toAbsolutePath() + ")");
		}
	}

}
