package dev.disposables.spring.conformance;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.disposables.spring.conformance.CallbackJournal.Callback;
import dev.disposables.spring.conformance.Scenario.HelperScope;
import dev.disposables.spring.conformance.Scenario.Trigger;
import dev.disposables.spring.conformance.ScenarioRunner.Outcome;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.fail;

/**
 * The rule the suite checks, per bean instance, comparing the starter's run of a scenario
 * with stock Spring's:
 * <ol>
 * <li>every callback stock Spring runs, the starter runs exactly once (even where stock
 * runs it twice);</li>
 * <li>on the bean itself, never on an AOP proxy of it, and without failing;</li>
 * <li>no later than stock Spring: a callback stock runs before the context is closed (a
 * scope end, {@code destroySingleton}, {@code destroyBean}) is not deferred to the
 * shutdown;</li>
 * <li>never before the beans that depend on it have finished (a user's callback ends
 * before its helper's begins);</li>
 * <li>what stock Spring misses (prototypes, custom scopes, async-only destroy methods)
 * the starter disposes exactly once, or reports as a leak — each such case is listed as a
 * documented {@link Verdict#improvements() improvement}; an opted-out bean
 * ({@code destroyMethod = ""}) is left alone by both;</li>
 * <li>the registry names the user's class, never a proxy class, and the shutdown disposal
 * runs (its summary).</li>
 * </ol>
 */
public final class ConformanceRules {

	private ConformanceRules() {
	}

	/**
	 * Runs a scenario on stock Spring (when it can run there) and with the starter and
	 * judges the difference.
	 * @param scenario the scenario
	 * @return the verdict
	 */
	public static Verdict judge(Scenario scenario) {
		Outcome stock = scenario.runsOnStock() ? ScenarioRunner.run(scenario, ScenarioRunner.Flavor.STOCK) : null;
		Outcome starter = ScenarioRunner.run(scenario, ScenarioRunner.Flavor.STARTER);
		return judge(scenario, stock, starter);
	}

	/** Runs and fails with every violation found. */
	public static Verdict assertConforms(Scenario scenario) {
		Verdict verdict = judge(scenario);
		verdict.assertNoViolations();
		return verdict;
	}

	static Verdict judge(Scenario scenario, @Nullable Outcome stock, Outcome starter) {
		Verdict verdict = new Verdict(scenario, stock, starter);
		verdict.problems(stock, starter);
		verdict.proxiesAndFailures();
		verdict.callbackCounts();
		verdict.phases();
		verdict.ordering();
		verdict.registry();
		return verdict;
	}

	/** What a comparison found. */
	public static final class Verdict {

		private final Scenario scenario;

		private final @Nullable Outcome stock;

		private final Outcome starter;

		private final Set<String> violations = new LinkedHashSet<>();

		private final Set<String> improvements = new LinkedHashSet<>();

		Verdict(Scenario scenario, @Nullable Outcome stock, Outcome starter) {
			this.scenario = scenario;
			this.stock = stock;
			this.starter = starter;
		}

		public List<String> violations() {
			return List.copyOf(this.violations);
		}

		/**
		 * Divergences from stock Spring that are documented improvements (asserted, not
		 * failures).
		 */
		public List<String> improvements() {
			return List.copyOf(this.improvements);
		}

		public Outcome starter() {
			return this.starter;
		}

		public @Nullable Outcome stock() {
			return this.stock;
		}

		public void assertNoViolations() {
			if (!this.violations.isEmpty()) {
				fail(describe());
			}
		}

		public String describe() {
			StringBuilder text = new StringBuilder("Scenario [").append(this.scenario).append("]");
			if (this.violations.isEmpty()) {
				text.append(" conforms");
			}
			else {
				text.append(" diverges from the promise:");
				this.violations.forEach((violation) -> text.append("\n  - ").append(violation));
			}
			if (!this.improvements.isEmpty()) {
				text.append("\n documented improvements over stock Spring:");
				this.improvements.forEach((improvement) -> text.append("\n  + ").append(improvement));
			}
			if (this.stock != null && this.stock.triggerFailure() != null) {
				text.append("\n stock Spring threw when destruction was reached: ").append(this.stock.triggerFailure());
			}
			if (this.stock != null) {
				text.append("\n ").append(this.stock.journal());
			}
			text.append("\n ").append(this.starter.journal());
			if (!this.starter.leakedBeans().isEmpty()) {
				text.append("\n leaks reported by the starter: ").append(this.starter.leakedBeans());
			}
			return text.toString();
		}

		private void violation(String text) {
			this.violations.add(text);
		}

		void problems(@Nullable Outcome stock, Outcome starter) {
			String stockFailure = (stock != null) ? stock.triggerFailure() : null;
			if (starter.triggerFailure() != null && stockFailure == null) {
				violation("reaching destruction (" + this.scenario.trigger()
						+ ") threw with the starter, not with stock " + "Spring: " + starter.triggerFailure());
			}
			if (stock != null) {
				stock.problems().forEach((problem) -> violation("stock run: " + problem));
			}
			starter.problems().forEach(this::violation);
		}

		void proxiesAndFailures() {
			for (Callback callback : this.starter.journal().callbacks()) {
				if (callback.onProxy()) {
					violation(callback.kind() + "() ran on an AOP proxy, not on the bean itself"
							+ ((callback.failure() != null) ? " and threw " + callback.failure() : "")
							+ " (the target was never released by it)");
				}
				else if (callback.failure() != null) {
					violation(callback.instance() + "." + callback.kind() + "() threw " + callback.failure());
				}
			}
		}

		void callbackCounts() {
			Set<String> instances = new LinkedHashSet<>(this.starter.journal().createdInstances());
			if (this.stock != null) {
				instances.addAll(this.stock.journal().createdInstances());
			}
			for (String instance : instances) {
				Set<String> expected = expectedCallbacks(instance);
				Map<String, Long> stockCounts = (this.stock != null) ? this.stock.journal().countsOf(instance)
						: Map.of();
				Map<String, Long> starterCounts = this.starter.journal().countsOf(instance);
				for (String kind : stockCounts.keySet()) {
					if (!expected.contains(kind)) {
						violation("[test model] stock Spring ran " + instance + "." + kind + "() which the model of "
								+ this.scenario.detection() + " does not expect");
					}
				}
				starterCounts.forEach((kind, count) -> {
					if (!expected.contains(kind)) {
						violation("the starter ran " + instance + "." + kind + "() " + count
								+ " time(s); stock Spring and the detection rules never run it");
					}
				});
				if (!stockCounts.isEmpty()) {
					stockCounts.forEach((kind, stockCount) -> {
						long count = starterCounts.getOrDefault(kind, 0L);
						if (count != 1) {
							violation(instance + "." + kind + "() ran " + count + " time(s) with the starter; stock "
									+ "Spring runs it " + stockCount
									+ " time(s), the starter must run it exactly once");
						}
						else if (stockCount > 1) {
							this.improvements.add(instance + "." + kind + "() runs once; stock Spring runs it "
									+ stockCount + " times");
						}
					});
					continue;
				}
				if (expected.isEmpty()) {
					continue; // opted out: neither runs anything (checked above)
				}
				// Stock Spring never disposes this instance: the starter must, exactly
				// once, or report it as a leak.
				boolean leaked = this.starter.leakedBeans()
					.stream()
					.anyMatch((bean) -> instance.startsWith(bean + "#") || bean.startsWith("("));
				boolean allOnce = expected.stream().allMatch((kind) -> starterCounts.getOrDefault(kind, 0L) == 1);
				if (allOnce) {
					this.improvements.add(instance + " " + expected + " disposed exactly once by the starter; stock "
							+ "Spring never disposes it (" + whyStockMisses(instance) + ")");
				}
				else if (leaked && starterCounts.isEmpty()) {
					this.improvements.add(instance + " reported as a leak by the starter; stock Spring neither "
							+ "disposes nor reports it");
				}
				else {
					violation(instance + " is never disposed by stock Spring (" + whyStockMisses(instance)
							+ "); the starter must run " + expected + " exactly once or report a leak, it ran "
							+ starterCounts + (leaked ? " (a leak was reported)" : ""));
				}
			}
		}

		/**
		 * Rule 3: not deferred to the shutdown, and never after {@code close()} has
		 * returned.
		 */
		void phases() {
			Long closed = this.starter.journal().markOf(ScenarioRunner.CLOSED);
			if (closed != null) {
				for (Callback callback : this.starter.journal().callbacks()) {
					if (callback.start() > closed) {
						violation(
								callback.instance() + "." + callback.kind() + "() began after the context's "
										+ ((this.scenario.trigger() == Trigger.FAILED_REFRESH)
												? "failed refresh had thrown" : "close() had returned")
										+ ": it did not wait for it");
					}
				}
			}
			if (this.stock == null) {
				return;
			}
			Long stockClose = this.stock.journal().markOf(ScenarioRunner.CLOSE);
			Long starterClose = this.starter.journal().markOf(ScenarioRunner.CLOSE);
			if (stockClose == null || starterClose == null) {
				return;
			}
			for (Callback callback : this.stock.journal().callbacks()) {
				if (callback.onProxy() || callback.start() > stockClose) {
					continue;
				}
				boolean inTime = this.starter.journal()
					.callbacksOf(callback.instance())
					.stream()
					.anyMatch((own) -> own.kind().equals(callback.kind()) && own.start() < starterClose);
				if (!inTime && this.starter.journal().countsOf(callback.instance()).containsKey(callback.kind())) {
					violation(callback.instance() + "." + callback.kind() + "() was deferred to the context's "
							+ "shutdown; stock Spring runs it at " + this.scenario.trigger());
				}
			}
		}

		/** Rule 4: a user's callbacks end before its helper's begin. */
		void ordering() {
			if (!this.scenario.hasUser() || this.scenario.trigger() == Trigger.DESTROY_SCOPED_BEAN
					|| this.scenario.trigger() == Trigger.DESTROY_BEAN_OBJECT
					|| this.scenario.trigger() == Trigger.DESTROY_BEAN_NAME) {
				return; // the helper alone is destroyed on purpose
			}
			for (String user : this.starter.instancesOf(ScenarioRunner.USER)) {
				String helper = ScenarioRunner.HELPER + user.substring(user.indexOf('#'));
				Boolean stockOrdered = (this.stock != null) ? ordered(this.stock.journal(), user, helper) : null;
				Boolean starterOrdered = ordered(this.starter.journal(), user, helper);
				if (starterOrdered == null) {
					continue; // one of them did not run: the counts say why
				}
				boolean required = Boolean.TRUE.equals(stockOrdered) || requiresOrder();
				if (!starterOrdered && required) {
					violation(helper + " was disposed before its dependent " + user + " had finished ("
							+ this.scenario.dependency() + " dependency): " + this.starter.journal().callbacksOf(user)
							+ " vs " + this.starter.journal().callbacksOf(helper));
				}
				else if (starterOrdered && Boolean.FALSE.equals(stockOrdered)) {
					this.improvements.add(helper + " disposed after its dependent " + user
							+ " has finished; stock Spring disposes it first (" + this.scenario.scope() + ")");
				}
			}
		}

		/**
		 * Where the design requires the order even though stock Spring does not keep it.
		 */
		private boolean requiresOrder() {
			Trigger trigger = this.scenario.trigger();
			if (trigger == Trigger.CLOSE || trigger == Trigger.STOP_THEN_CLOSE || trigger == Trigger.FAILED_REFRESH) {
				return true;
			}
			// Containers the starter runs itself dispose in reverse creation order.
			return trigger == Trigger.SCOPE_END
					&& (this.scenario.scope() == HelperScope.REQUEST || this.scenario.scope() == HelperScope.DISPOSAL
							|| this.scenario.scope() == HelperScope.PROTOTYPE_IN_SCOPE);
		}

		/**
		 * Whether every callback of the user ended before any of the helper's began; null
		 * if either did not run.
		 */
		private static @Nullable Boolean ordered(CallbackJournal journal, String user, String helper) {
			List<Callback> userCallbacks = journal.callbacksOf(user);
			List<Callback> helperCallbacks = journal.callbacksOf(helper);
			if (userCallbacks.isEmpty() || helperCallbacks.isEmpty()) {
				return null;
			}
			long userEnd = userCallbacks.stream().mapToLong(Callback::end).max().getAsLong();
			long helperStart = helperCallbacks.stream().mapToLong(Callback::start).min().getAsLong();
			return userEnd < helperStart;
		}

		void registry() {
			this.starter.registryTypes().forEach((bean, types) -> {
				String expected = ScenarioRunner.HELPER.equals(bean) ? this.scenario.detection().helperClass().getName()
						: this.scenario.dependency().userClass().getName();
				for (String type : types) {
					if (!type.equals(expected)) {
						violation("the registry shows bean '" + bean + "' as " + type + " instead of the user's class "
								+ expected);
					}
				}
			});
			if (Boolean.FALSE.equals(this.starter.shutdownReported())) {
				violation("the starter's shutdown disposal never ran (no summary, DisposablesLifecycle#report() is "
						+ "null after close)");
			}
		}

		private Set<String> expectedCallbacks(String instance) {
			if (instance.startsWith(ScenarioRunner.USER + "#")) {
				return Set.of("preDestroy");
			}
			return this.scenario.detection().callbacks();
		}

		private String whyStockMisses(String instance) {
			if (this.scenario.detection() == Scenario.Detection.ASYNC_METHOD
					&& instance.startsWith(ScenarioRunner.HELPER)) {
				return "an async-only destroy method; async-first: the starter calls disposeAsync() only";
			}
			return switch (this.scenario.scope()) {
				case PROTOTYPE_INJECTED, PROTOTYPE_IN_SCOPE, PROTOTYPE_APP_OWNED -> "a prototype";
				case THREAD -> "SimpleThreadScope ignores destruction callbacks";
				case DISPOSAL -> "the disposal scope is the starter's";
				case SESSION -> "its session outlived the context; the starter disposes it at shutdown";
				default -> "stock Spring did not run it";
			};
		}

	}

}
