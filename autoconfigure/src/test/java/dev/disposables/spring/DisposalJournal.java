package dev.disposables.spring;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Orders disposal events with one global sequence, so "A finished before B started" is
 * exact, not a clock reading.
 */
final class DisposalJournal {

	private final AtomicLong sequence = new AtomicLong();

	private final Map<String, Long> starts = new ConcurrentHashMap<>();

	private final Map<String, Long> ends = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> startCounts = new ConcurrentHashMap<>();

	void started(String name) {
		this.startCounts.computeIfAbsent(name, (key) -> new AtomicInteger()).incrementAndGet();
		this.starts.put(name, this.sequence.incrementAndGet());
	}

	void finished(String name) {
		this.ends.put(name, this.sequence.incrementAndGet());
	}

	int startCount(String name) {
		AtomicInteger count = this.startCounts.get(name);
		return (count != null) ? count.get() : 0;
	}

	Long start(String name) {
		return this.starts.get(name);
	}

	Long end(String name) {
		return this.ends.get(name);
	}

}
