package dev.disposables.spring;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the disposal engine, normally bound from the {@code disposables.*} properties, where their defaults
 * are declared and their values validated (naming the property at fault).
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

	public DisposalSettings {
		Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
		Objects.requireNonNull(perResourceTimeout, "perResourceTimeout");
		Objects.requireNonNull(prototypeTracking, "prototypeTracking");
		Objects.requireNonNull(leakDetectionLevel, "leakDetectionLevel");
	}

}
