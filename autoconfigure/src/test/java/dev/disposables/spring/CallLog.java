package dev.disposables.spring;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records disposal callbacks in order and counts them, so tests can assert order and
 * exactly-once.
 */
final class CallLog {

	private final List<String> calls = new CopyOnWriteArrayList<>();

	private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

	void record(String call) {
		this.calls.add(call);
		this.counts.computeIfAbsent(call, (key) -> new AtomicInteger()).incrementAndGet();
	}

	List<String> calls() {
		return List.copyOf(this.calls);
	}

	int count(String call) {
		AtomicInteger count = this.counts.get(call);
		return (count != null) ? count.get() : 0;
	}

}
