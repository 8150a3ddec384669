package dev.disposables.spring;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the disposal engine, normally bound from the {@code disposables.*}
 * properties, where their defaults are declared and their values validated (naming the
 * property at fault).
 *
 * @param shutdownTimeout overall deadline for disposing everything at context shutdown
 * @param perResourceTimeout how long one disposal may take before it is abandoned
 * @param maxConcurrency how many sync disposals may run at the same time
 * @param prototypeTracking how application-owned prototypes are tracked
 * @param leakDetectionLevel how leaks are detected and reported
 * @param samplingInterval one instance in this many records its allocation site at the
 * {@code advanced} level
 * @param prototypeSamplingInterval with weak tracking, one application-owned prototype in
 * this many is tracked (by identity hash), the others are left to Spring as with
 * {@link PrototypeTracking#OFF}; 1, the default, tracks every one. A trade-off for
 * prototypes created on a hot path: see {@code docs/benchmarks.md}
 * @param readyThreads on JDK 17 to 20, how many platform disposal threads are started
 * once the application has started and kept idle until it shuts down, so that the
 * shutdown does not pay for starting them; 0, the default, starts threads only when a
 * disposal needs one. Ignored on JDK 21+, where the disposal threads are virtual
 */
public record DisposalSettings(Duration shutdownTimeout, Duration perResourceTimeout, int maxConcurrency,
		PrototypeTracking prototypeTracking, LeakDetectionLevel leakDetectionLevel, int samplingInterval,
		int prototypeSamplingInterval, int readyThreads) {

	public DisposalSettings {
		Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
		Objects.requireNonNull(perResourceTimeout, "perResourceTimeout");
		Objects.requireNonNull(prototypeTracking, "prototypeTracking");
		Objects.requireNonNull(leakDetectionLevel, "leakDetectionLevel");
	}

	/**
	 * Settings that start disposal threads only when needed (no ready threads).
	 * @param shutdownTimeout overall deadline for disposing everything at context
	 * shutdown
	 * @param perResourceTimeout how long one disposal may take before it is abandoned
	 * @param maxConcurrency how many sync disposals may run at the same time
	 * @param prototypeTracking how application-owned prototypes are tracked
	 * @param leakDetectionLevel how leaks are detected and reported
	 * @param samplingInterval one instance in this many records its allocation site at
	 * the {@code advanced} level
	 * @param prototypeSamplingInterval with weak tracking, one application-owned
	 * prototype in this many is tracked
	 */
	public DisposalSettings(Duration shutdownTimeout, Duration perResourceTimeout, int maxConcurrency,
			PrototypeTracking prototypeTracking, LeakDetectionLevel leakDetectionLevel, int samplingInterval,
			int prototypeSamplingInterval) {
		this(shutdownTimeout, perResourceTimeout, maxConcurrency, prototypeTracking, leakDetectionLevel,
				samplingInterval, prototypeSamplingInterval, 0);
	}

	/**
	 * Settings that track every application-owned prototype (a prototype sampling
	 * interval of 1).
	 * @param shutdownTimeout overall deadline for disposing everything at context
	 * shutdown
	 * @param perResourceTimeout how long one disposal may take before it is abandoned
	 * @param maxConcurrency how many sync disposals may run at the same time
	 * @param prototypeTracking how application-owned prototypes are tracked
	 * @param leakDetectionLevel how leaks are detected and reported
	 * @param samplingInterval one instance in this many records its allocation site at
	 * the {@code advanced} level
	 */
	public DisposalSettings(Duration shutdownTimeout, Duration perResourceTimeout, int maxConcurrency,
			PrototypeTracking prototypeTracking, LeakDetectionLevel leakDetectionLevel, int samplingInterval) {
		this(shutdownTimeout, perResourceTimeout, maxConcurrency, prototypeTracking, leakDetectionLevel,
				samplingInterval, 1, 0);
	}

	/**
	 * Whether an application-owned prototype is tracked with weak tracking and a
	 * {@link #prototypeSamplingInterval()}: decided by its identity hash, so that the
	 * same answer comes back when Spring destroys it later.
	 * @param instance the prototype instance (the target, not a proxy)
	 * @return {@code true} if it is tracked
	 */
	boolean samplesPrototype(Object instance) {
		int interval = this.prototypeSamplingInterval;
		return interval == 1 || Integer.remainderUnsigned(System.identityHashCode(instance), interval) == 0;
	}

}
