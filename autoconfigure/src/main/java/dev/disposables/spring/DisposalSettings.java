package dev.disposables.spring;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the disposal engine, normally bound from the {@code disposables.*} properties.
 *
 * @param shutdownTimeout overall deadline for disposing everything at context shutdown
 * @param perResourceTimeout how long one disposal may take before it is abandoned
 * @param maxConcurrency how many sync disposals may run at the same time
 * @param prototypeTracking how application-owned prototypes are tracked
 * @param leakDetectionLevel how leaks are detected and reported
 * @param samplingInterval one instance in this many records its allocation site at the {@code advanced} level
 * @param prototypeSamplingInterval with weak tracking, one application-owned prototype in this many is tracked (by
 * identity hash), the others are left to Spring as with {@link PrototypeTracking#OFF}; 1, the default, tracks every
 * one. A trade-off for prototypes created on a hot path: see {@code docs/benchmarks.md}
 */
public record DisposalSettings(Duration shutdownTimeout, Duration perResourceTimeout, int maxConcurrency,
		PrototypeTracking prototypeTracking, LeakDetectionLevel leakDetectionLevel, int samplingInterval,
		int prototypeSamplingInterval) {

	/** The defaults: 30 s overall, 10 s per resource, 128 concurrent sync disposals, weak tracking, simple leaks. */
	public static final DisposalSettings DEFAULTS = new DisposalSettings(Duration.ofSeconds(30), Duration.ofSeconds(10),
			128, PrototypeTracking.WEAK, LeakDetectionLevel.SIMPLE, 128, 1);

	public DisposalSettings {
		Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
		Objects.requireNonNull(perResourceTimeout, "perResourceTimeout");
		Objects.requireNonNull(prototypeTracking, "prototypeTracking");
		Objects.requireNonNull(leakDetectionLevel, "leakDetectionLevel");
		if (shutdownTimeout.isNegative() || shutdownTimeout.isZero()) {
			throw new IllegalArgumentException("shutdownTimeout must be positive");
		}
		if (perResourceTimeout.isNegative() || perResourceTimeout.isZero()) {
			throw new IllegalArgumentException("perResourceTimeout must be positive");
		}
		if (maxConcurrency < 1) {
			throw new IllegalArgumentException("maxConcurrency must be at least 1");
		}
		if (samplingInterval < 1) {
			throw new IllegalArgumentException("samplingInterval must be at least 1");
		}
		if (prototypeSamplingInterval < 1) {
			throw new IllegalArgumentException("prototypeSamplingInterval must be at least 1");
		}
	}

	/**
	 * Settings that track every application-owned prototype (a prototype sampling interval of 1).
	 * @param shutdownTimeout overall deadline for disposing everything at context shutdown
	 * @param perResourceTimeout how long one disposal may take before it is abandoned
	 * @param maxConcurrency how many sync disposals may run at the same time
	 * @param prototypeTracking how application-owned prototypes are tracked
	 * @param leakDetectionLevel how leaks are detected and reported
	 * @param samplingInterval one instance in this many records its allocation site at the {@code advanced} level
	 */
	public DisposalSettings(Duration shutdownTimeout, Duration perResourceTimeout, int maxConcurrency,
			PrototypeTracking prototypeTracking, LeakDetectionLevel leakDetectionLevel, int samplingInterval) {
		this(shutdownTimeout, perResourceTimeout, maxConcurrency, prototypeTracking, leakDetectionLevel,
				samplingInterval, 1);
	}

	/**
	 * Whether an application-owned prototype is tracked with weak tracking and a
	 * {@link #prototypeSamplingInterval()}: decided by its identity hash, so that the same answer comes back when
	 * Spring destroys it later.
	 * @param instance the prototype instance (the target, not a proxy)
	 * @return {@code true} if it is tracked
	 */
	boolean samplesPrototype(Object instance) {
		int interval = this.prototypeSamplingInterval;
		return interval == 1 || Integer.remainderUnsigned(System.identityHashCode(instance), interval) == 0;
	}

}
