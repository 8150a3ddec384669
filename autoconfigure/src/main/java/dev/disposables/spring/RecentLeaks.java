package dev.disposables.spring;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The most recent leaks, bounded: the endpoint shows what leaked lately without the
 * buffer growing with the number of leaks (a million dropped prototypes must not cost a
 * million reports).
 */
final class RecentLeaks {

	private final int capacity;

	private final ArrayDeque<LeakReport> reports;

	RecentLeaks(int capacity) {
		this.capacity = capacity;
		this.reports = new ArrayDeque<>(capacity);
	}

	synchronized void add(LeakReport report) {
		if (this.capacity == 0) {
			return;
		}
		if (this.reports.size() == this.capacity) {
			this.reports.removeFirst();
		}
		this.reports.addLast(report);
	}

	/**
	 * Most recent first.
	 * @return the recent leak reports
	 */
	synchronized List<LeakReport> snapshot() {
		List<LeakReport> snapshot = new ArrayList<>(this.reports.size());
		for (Iterator<LeakReport> it = this.reports.descendingIterator(); it.hasNext();) {
			snapshot.add(it.next());
		}
		return snapshot;
	}

}
