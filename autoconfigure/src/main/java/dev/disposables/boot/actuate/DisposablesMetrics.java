package dev.disposables.boot.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposableRegistryListener;
import dev.disposables.spring.DisposableResource;
import dev.disposables.spring.DisposalMode;
import dev.disposables.spring.ResourceState;
import dev.disposables.spring.ShutdownReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer metrics of a {@link DisposableRegistry}.
 *
 * <ul>
 * <li>{@code disposables.live} (gauge, tag {@code scope}): resources created and not
 * disposed yet (live or disposing), read from the registry's per-scope counters;</li>
 * <li>{@code disposables.disposal} (timer, tags {@code scope}, {@code mode} =
 * {@code async|sync}, {@code outcome} = {@code success|failure|timeout}, {@code adapter}
 * = the name of the {@code DisposalAdapter} used, {@code none} for the generic rules):
 * each disposal;</li>
 * <li>{@code disposables.leaks} (counter, tag {@code scope}): resources garbage-collected
 * undisposed;</li>
 * <li>{@code disposables.shutdown} (timer): the shutdown disposal.</li>
 * </ul>
 *
 * <p>
 * Tags are bounded: scope names, modes, outcomes and adapter names only, never bean names
 * or ids. A scope's meters are registered when the first resource of that scope is seen.
 */
public class DisposablesMetrics implements MeterBinder {

	/** Name of the gauge of undisposed resources. */
	public static final String LIVE = "disposables.live";

	/** Name of the timer of disposals. */
	public static final String DISPOSAL = "disposables.disposal";

	/** Name of the counter of leaks. */
	public static final String LEAKS = "disposables.leaks";

	/** Name of the timer of the shutdown disposal. */
	public static final String SHUTDOWN = "disposables.shutdown";

	/** The {@code adapter} tag of a disposal that used the generic rules. */
	public static final String NO_ADAPTER = "none";

	private static final String BASE_UNIT = "resources";

	private final DisposableRegistry registry;

	private final Set<String> scopes = ConcurrentHashMap.newKeySet();

	private final List<Meters> bound = new CopyOnWriteArrayList<>();

	private final AtomicBoolean listening = new AtomicBoolean();

	/**
	 * Create the metrics of a registry.
	 * @param registry the registry to observe
	 */
	public DisposablesMetrics(DisposableRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void bindTo(MeterRegistry meterRegistry) {
		Meters meters = new Meters(meterRegistry);
		this.bound.add(meters);
		if (this.listening.compareAndSet(false, true)) {
			this.registry.addListener(new Listener());
		}
		this.scopes.addAll(this.registry.scopes());
		this.scopes.forEach(meters::registerScope);
	}

	private void scopeSeen(String scope) {
		// The hot path (every tracked instance) is one set lookup.
		if (!this.scopes.contains(scope) && this.scopes.add(scope)) {
			for (Meters meters : this.bound) {
				meters.registerScope(scope);
			}
		}
	}

	/** Receives the registry's events; never throws, never keeps a resource. */
	private final class Listener implements DisposableRegistryListener {

		@Override
		public void onRegistered(DisposableResource resource) {
			scopeSeen(resource.scope());
		}

		@Override
		public void onDisposed(DisposableResource resource, Duration duration, @Nullable Throwable failure) {
			scopeSeen(resource.scope());
			String adapter = resource.adapter();
			DisposalTags tags = new DisposalTags(resource.scope(), resource.mode(),
					DisposalOutcome.of(resource, failure), (adapter != null) ? adapter : NO_ADAPTER);
			for (Meters meters : DisposablesMetrics.this.bound) {
				meters.disposal(tags).record(duration);
			}
		}

		@Override
		public void onLeaked(DisposableResource resource) {
			scopeSeen(resource.scope());
			for (Meters meters : DisposablesMetrics.this.bound) {
				meters.leaks(resource.scope()).increment();
			}
		}

		@Override
		public void onShutdown(ShutdownReport report) {
			for (Meters meters : DisposablesMetrics.this.bound) {
				meters.shutdown.record(report.duration());
			}
		}

	}

	private record DisposalTags(String scope, DisposalMode mode, String outcome, String adapter) {
	}

	/**
	 * The meters of one {@link MeterRegistry}, cached so that an event costs a map
	 * lookup.
	 */
	private final class Meters {

		private final MeterRegistry meterRegistry;

		private final ConcurrentHashMap<DisposalTags, Timer> disposals = new ConcurrentHashMap<>();

		private final ConcurrentHashMap<String, Counter> leaks = new ConcurrentHashMap<>();

		private final Timer shutdown;

		Meters(MeterRegistry meterRegistry) {
			this.meterRegistry = meterRegistry;
			this.shutdown = Timer.builder(SHUTDOWN)
				.description("Duration of the disposal of every remaining resource at application shutdown")
				.register(meterRegistry);
		}

		void registerScope(String scope) {
			DisposableRegistry registry = DisposablesMetrics.this.registry;
			Gauge
				.builder(LIVE, registry,
						(r) -> r.count(scope, ResourceState.LIVE) + r.count(scope, ResourceState.DISPOSING))
				.tag("scope", scope)
				.description("Resources created and not disposed yet (live or disposing)")
				.baseUnit(BASE_UNIT)
				.register(this.meterRegistry);
			// Registered with the scope, so that the series exists (at 0) before the
			// first leak.
			leaks(scope);
		}

		Timer disposal(DisposalTags tags) {
			return this.disposals.computeIfAbsent(tags,
					(key) -> Timer.builder(DISPOSAL)
						.tag("scope", key.scope())
						.tag("mode", (key.mode() == DisposalMode.ASYNC) ? "async" : "sync")
						.tag("outcome", key.outcome())
						.tag("adapter", key.adapter())
						.description("Duration of the disposal of one resource")
						.register(this.meterRegistry));
		}

		Counter leaks(String scope) {
			return this.leaks.computeIfAbsent(scope,
					(key) -> Counter.builder(LEAKS)
						.tag("scope", key)
						.description("Resources garbage-collected without having been disposed")
						.baseUnit(BASE_UNIT)
						.register(this.meterRegistry));
		}

	}

}
