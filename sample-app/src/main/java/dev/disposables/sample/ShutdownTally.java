package dev.disposables.sample;

import java.util.Map;

import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposableRegistryListener;
import dev.disposables.spring.ResourceState;
import dev.disposables.spring.ShutdownReport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Logs, once the starter's shutdown disposal has finished, what the sample created and
 * disposed (its own counters) next to what the registry saw, per scope. The end-to-end
 * tests read this line to check that the numbers add up: created = disposed + leaked.
 *
 * <p>
 * A {@link DisposableRegistryListener} registered with the starter's
 * {@link DisposableRegistry}, when there is one ({@code disposables.enabled=false} has
 * none).
 */
@Component
class ShutdownTally implements DisposableRegistryListener, SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(ShutdownTally.class);

	private final ObjectProvider<DisposableRegistry> registry;

	private final SampleCounters counters;

	ShutdownTally(ObjectProvider<DisposableRegistry> registry, SampleCounters counters) {
		this.registry = registry;
		this.counters = counters;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.registry.ifAvailable((available) -> available.addListener(this));
	}

	@Override
	public void onShutdown(ShutdownReport report) {
		StringBuilder line = new StringBuilder("Sample tally: ").append(this.counters.snapshot());
		this.registry.ifAvailable((available) -> {
			for (Map.Entry<String, Map<ResourceState, Long>> scope : available.counts().entrySet()) {
				line.append("; registry[").append(scope.getKey()).append("] ").append(scope.getValue());
			}
		});
		logger.info(line);
	}

}
