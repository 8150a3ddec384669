/**
 * The differential conformance suite: each scenario runs on stock Spring and with the
 * starter, and {@link dev.disposables.spring.conformance.ConformanceRules} compares, per
 * bean instance, which destruction callbacks ran, how many times, on the bean or on an
 * AOP proxy, when (at the trigger or deferred to the shutdown) and in which order
 * relative to the beans that depend on it.
 *
 * <p>
 * The one fixture is the {@link dev.disposables.spring.conformance.CallbackJournal}; the
 * beans are in {@link dev.disposables.spring.conformance.Beans}; the space is
 * {@link dev.disposables.spring.conformance.Scenario};
 * {@link dev.disposables.spring.conformance.ScenarioRunner} builds and drives the
 * contexts.
 *
 * <p>
 * Divergences from stock Spring that are documented improvements are asserted as such
 * (listed by {@code Verdict#improvements()}), never reported as failures:
 * <ul>
 * <li>prototypes (injected, created in a {@code DisposalScope}, owned by the application)
 * are disposed exactly once (stock Spring never destroys them), or reported as leaks when
 * collected undisposed;</li>
 * <li>{@code SimpleThreadScope} and {@code @DisposalScoped} beans are disposed (stock
 * Spring ignores their destruction callbacks / has no such scope);</li>
 * <li>async-first: a bean with an async destroy method is disposed through it only
 * ({@code disposeAsync()}, which stock Spring does not know);</li>
 * <li>request-scoped beans are disposed in reverse creation order, a bean after the beans
 * that depend on it (stock Spring runs the callbacks in registration order: a dependency
 * first);</li>
 * <li>a callback stock Spring runs twice (a session-scoped bean on
 * {@code destroyScopedBean}, one instance under two bean names) runs once.</li>
 * </ul>
 *
 * <p>
 * Run it alone with {@code -Dtest='dev.disposables.spring.conformance.**'}; add
 * {@code -Dconformance.census=true} for a map of every divergent generated scenario in
 * {@code target/conformance-census.txt}.
 */
@NullMarked
package dev.disposables.spring.conformance;

import org.jspecify.annotations.NullMarked;
