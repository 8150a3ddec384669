package dev.disposables.spring;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-scope counts kept incrementally, so that gauges and the endpoint summary never walk
 * the live resources.
 */
final class ScopeCounters {

	private final LongAdder[] byState = new LongAdder[ResourceState.values().length];

	ScopeCounters() {
		for (int i = 0; i < this.byState.length; i++) {
			this.byState[i] = new LongAdder();
		}
	}

	void registered() {
		this.byState[ResourceState.LIVE.ordinal()].increment();
	}

	void started() {
		this.byState[ResourceState.LIVE.ordinal()].decrement();
		this.byState[ResourceState.DISPOSING.ordinal()].increment();
	}

	void finished(ResourceState from, ResourceState terminal) {
		this.byState[from.ordinal()].decrement();
		this.byState[terminal.ordinal()].increment();
	}

	long count(ResourceState state) {
		return this.byState[state.ordinal()].sum();
	}

	Map<ResourceState, Long> snapshot() {
		Map<ResourceState, Long> counts = new EnumMap<>(ResourceState.class);
		for (ResourceState state : ResourceState.values()) {
			counts.put(state, count(state));
		}
		return counts;
	}

}
