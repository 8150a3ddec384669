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
 */
public record DisposalSettings(Duration shutdownTimeout, Duration perResourceTimeout, int maxConcurrency,
		PrototypeTracking prototypeTracking, LeakDetectionLevel leakDetectionLevel, int samplingInterval) {

	/** The defaults: 30 s overall, 10 s per resource, 128 concurrent sync disposals, weak tracking, simple leaks. */
	public static final DisposalSettings DEFAULTS = new DisposalSettings(Duration.ofSeconds(30), Duration.ofSeconds(10),
			128, PrototypeTracking.WEAK, LeakDetectionLevel.SIMPLE, 128);

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
	}

}
