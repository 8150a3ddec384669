package dev.disposables.boot.actuate;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposableRegistryListener;
import dev.disposables.spring.DisposableResource;
import dev.disposables.spring.DisposalMode;
import dev.disposables.spring.ShutdownReport;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Each disposal of a {@link DisposableRegistry} as a Micrometer {@link Observation}: with
 * tracing, request-scope, {@code DisposalScope} and shutdown disposals show up as spans.
 *
 * <ul>
 * <li>Name {@value #NAME}, contextual name (the span's) {@code dispose <bean name>}.</li>
 * <li>Low-cardinality key values as the tags of the {@code disposables.disposal} timer:
 * {@code scope}, {@code mode} ({@code async|sync}), {@code outcome}
 * ({@code success|failure|timeout}); a failure is the observation's error.</li>
 * <li>High-cardinality key values (span attributes only): {@code bean} (the bean name),
 * {@code type} (the class name), {@code shutdown} ({@code true} for the shutdown's
 * disposals).</li>
 * </ul>
 *
 * <p>
 * An observation starts when the disposal starts running, on the thread that runs it: a
 * disposal closed by its caller (a {@code DisposalScope} closed in a request) is a child
 * of the caller's current observation; the others (disposals after a request completed,
 * at shutdown) have no parent.
 *
 * <p>
 * The observation is for tracing: the disposal's meter is the
 * {@code disposables.disposal} timer of {@link DisposablesMetrics}, timed by the engine
 * and documented. Each observation carries a {@link DisposalContext}, which
 * {@link DisposalMeterHandler} (a no-op meter handler, registered first among the meter
 * handlers) claims, so that Micrometer's default meter handler does not time the same
 * disposal a second time (it would register a {@code disposables.dispose} timer, without
 * a description, and a {@code disposables.dispose.active} long task timer).
 *
 * <p>
 * With {@link ObservationRegistry#NOOP} nothing is registered: a disposal costs nothing
 * more.
 *
 * @since 0.2.0
 */
public class DisposablesObservations {

	/** Name of the observation of one disposal. */
	public static final String NAME = "disposables.dispose";

	private final ObservationRegistry observationRegistry;

	private final ConcurrentHashMap<DisposableResource, Observation> running = new ConcurrentHashMap<>();

	private volatile boolean shuttingDown;

	/**
	 * Create the observations of a registry's disposals and start observing (unless the
	 * observation registry is a no-op).
	 * @param registry the registry whose disposals to observe
	 * @param observationRegistry where the observations go
	 */
	public DisposablesObservations(DisposableRegistry registry, ObservationRegistry observationRegistry) {
		this.observationRegistry = observationRegistry;
		if (!observationRegistry.isNoop()) {
			registry.addListener(new Listener());
		}
	}

	/** Receives the registry's events; never keeps a resource beyond its disposal. */
	private final class Listener implements DisposableRegistryListener {

		@Override
		public void onDisposalStarted(DisposableResource resource) {
			Observation observation = Observation
				.createNotStarted(NAME, DisposalContext::new, DisposablesObservations.this.observationRegistry)
				.contextualName("dispose " + resource.beanName())
				.lowCardinalityKeyValue("scope", resource.scope())
				.lowCardinalityKeyValue("mode", (resource.mode() == DisposalMode.ASYNC) ? "async" : "sync")
				.highCardinalityKeyValue("bean", resource.beanName())
				.highCardinalityKeyValue("type", resource.type())
				.highCardinalityKeyValue("shutdown", String.valueOf(DisposablesObservations.this.shuttingDown));
			DisposablesObservations.this.running.put(resource, observation.start());
		}

		@Override
		public void onDisposed(DisposableResource resource, Duration duration, @Nullable Throwable failure) {
			Observation observation = DisposablesObservations.this.running.remove(resource);
			if (observation == null) {
				return; // abandoned before it started
			}
			observation.lowCardinalityKeyValue(KeyValue.of("outcome", DisposalOutcome.of(resource, failure)));
			if (failure != null) {
				observation.error(failure);
			}
			observation.stop();
		}

		@Override
		public void onShutdownStarted() {
			DisposablesObservations.this.shuttingDown = true;
		}

		@Override
		public void onShutdown(ShutdownReport report) {
			// Abandoned disposals that never reported (their thread is stuck) are stopped
			// here, so that nothing stays open.
			DisposablesObservations.this.running.forEach((resource, observation) -> {
				if (DisposablesObservations.this.running.remove(resource, observation)) {
					observation.lowCardinalityKeyValue(KeyValue.of("outcome", "timeout"));
					observation.stop();
				}
			});
		}

	}

	/**
	 * The context of a disposal's observation: its type tells the meter handlers that the
	 * disposal is already timed by {@link DisposablesMetrics}.
	 *
	 * @since 0.2.0
	 */
	public static final class DisposalContext extends Observation.Context {

	}

}
