package dev.disposables.spring.conformance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * The one fixture of the conformance suite: what every destruction callback did, on which
 * instance, on which thread, between which two ticks of one global sequence (so "A ended
 * before B began" is exact, not a clock reading).
 *
 * <p>
 * Each run of a scenario (stock Spring, then the starter) gets a fresh journal
 * ({@link #reset()}); beans capture the journal current when they are created, so a
 * disposal that finishes late still lands in its own run's journal. Instances are named
 * {@code beanName#n}, n counting the instances of that bean name in the run, so the same
 * instance can be matched across the two runs.
 */
public final class CallbackJournal {

	/**
	 * The instance name recorded for a callback that ran on an AOP proxy (a CGLIB proxy
	 * has no initialized state).
	 */
	public static final String ON_PROXY = "<proxy>";

	private static volatile CallbackJournal current = new CallbackJournal("initial");

	private final String label;

	private final AtomicLong sequence = new AtomicLong();

	private final Map<String, AtomicInteger> ordinals = new ConcurrentHashMap<>();

	private final List<String> created = new CopyOnWriteArrayList<>();

	private final List<Callback> callbacks = new CopyOnWriteArrayList<>();

	private final Map<String, Long> marks = new ConcurrentHashMap<>();

	private CallbackJournal(String label) {
		this.label = label;
	}

	/**
	 * Starts a fresh journal for a run and makes it current.
	 * @param label what the run is (shown in failure messages)
	 * @return the journal
	 */
	public static CallbackJournal reset(String label) {
		CallbackJournal journal = new CallbackJournal(label);
		current = journal;
		return journal;
	}

	public static CallbackJournal current() {
		return current;
	}

	public String label() {
		return this.label;
	}

	/** A bean instance was created: its name in this run. */
	String created(String beanName) {
		int ordinal = this.ordinals.computeIfAbsent(beanName, (key) -> new AtomicInteger()).incrementAndGet();
		String instance = beanName + "#" + ordinal;
		this.created.add(instance);
		return instance;
	}

	/**
	 * Names a copy of an instance restored from a serialized session:
	 * {@code beanName#n'}.
	 */
	String restoredCopyOf(String instance) {
		String copy = instance + "'";
		this.created.add(copy);
		return copy;
	}

	long tick() {
		return this.sequence.incrementAndGet();
	}

	/**
	 * Records a point in the run (a trigger, the end of a request) on the same sequence
	 * as the callbacks.
	 */
	public long mark(String label) {
		long tick = tick();
		this.marks.put(label, tick);
		return tick;
	}

	public @Nullable Long markOf(String label) {
		return this.marks.get(label);
	}

	void record(Callback callback) {
		this.callbacks.add(callback);
	}

	/** Instances created in this run, in creation order. */
	public List<String> createdInstances() {
		return List.copyOf(this.created);
	}

	public List<Callback> callbacks() {
		List<Callback> snapshot = new ArrayList<>(this.callbacks);
		snapshot.sort((a, b) -> Long.compare(a.start(), b.start()));
		return Collections.unmodifiableList(snapshot);
	}

	public List<Callback> callbacksOf(String instance) {
		return callbacks().stream().filter((callback) -> callback.instance().equals(instance)).toList();
	}

	/**
	 * How many times each callback kind ran on an instance (the target, never counting
	 * proxies).
	 */
	public Map<String, Long> countsOf(String instance) {
		return callbacksOf(instance).stream()
			.collect(Collectors.groupingBy(Callback::kind, java.util.TreeMap::new, Collectors.counting()));
	}

	public List<Callback> onProxies() {
		return callbacks().stream().filter(Callback::onProxy).toList();
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("journal of ").append(this.label)
			.append(": created ")
			.append(this.created)
			.append(", callbacks:");
		for (Callback callback : callbacks()) {
			text.append("\n    ").append(callback);
		}
		if (this.callbacks.isEmpty()) {
			text.append(" none");
		}
		return text.toString();
	}

	/**
	 * One destruction callback.
	 *
	 * @param instance {@code beanName#n}, or {@link #ON_PROXY}
	 * @param kind which callback ({@code close}, {@code preDestroy}, ...)
	 * @param onProxy whether {@code this} was an AOP proxy rather than the bean itself
	 * @param thread the thread it ran on
	 * @param start the sequence tick when it began
	 * @param end the sequence tick when it ended
	 * @param failure what it threw, if anything
	 */
	public record Callback(String instance, String kind, boolean onProxy, String thread, long start, long end,
			@Nullable String failure) {

		@Override
		public String toString() {
			return this.instance + "." + this.kind + "() [" + this.start + ".." + this.end + "] on " + this.thread
					+ (this.onProxy ? " ON AN AOP PROXY" : "")
					+ ((this.failure != null) ? " threw " + this.failure : "");
		}

	}

}
