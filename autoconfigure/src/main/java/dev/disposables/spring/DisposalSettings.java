package dev.disposables.spring;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Settings of the disposal engine, normally bound from the {@code disposables.*}
 * properties. Immutable and always valid: {@link #builder()} starts from the
 * {@linkplain #defaults() defaults}, the one place they are declared, and
 * {@link Builder#build()} rejects a value the engine cannot work with, naming the
 * setting. A value changed from code goes through the same checks as one bound from a
 * property.
 *
 * <pre class="code">
 * DisposalSettings settings = DisposalSettings.builder()
 *     .shutdownTimeout(Duration.ofSeconds(10))
 *     .maxConcurrency(16)
 *     .build();
 * DisposalSettings lenient = settings.toBuilder().perResourceTimeout(Duration.ofSeconds(5)).build();
 * </pre>
 */
public final class DisposalSettings {

	private static final DisposalSettings DEFAULTS = new Builder().build();

	private final Duration shutdownTimeout;

	private final Duration perResourceTimeout;

	private final int maxConcurrency;

	private final int readyThreads;

	private final Duration criticalPathThreshold;

	private final PrototypeTracking prototypeTracking;

	private final int prototypeSamplingInterval;

	private final LeakDetectionLevel leakDetectionLevel;

	private final int samplingInterval;

	private DisposalSettings(Builder builder) {
		this.shutdownTimeout = builder.shutdownTimeout;
		this.perResourceTimeout = builder.perResourceTimeout;
		this.maxConcurrency = builder.maxConcurrency;
		this.readyThreads = builder.readyThreads;
		this.criticalPathThreshold = builder.criticalPathThreshold;
		this.prototypeTracking = builder.prototypeTracking;
		this.prototypeSamplingInterval = builder.prototypeSamplingInterval;
		this.leakDetectionLevel = builder.leakDetectionLevel;
		this.samplingInterval = builder.samplingInterval;
	}

	/**
	 * The defaults, which are also those of the {@code disposables.*} properties.
	 * @return the default settings
	 */
	public static DisposalSettings defaults() {
		return DEFAULTS;
	}

	/**
	 * A builder that starts from the {@linkplain #defaults() defaults}.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * A builder that starts from these settings, to change some of them.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/**
	 * Overall deadline for disposing everything at context shutdown; default 30 s.
	 * @return the shutdown timeout, positive
	 */
	public Duration shutdownTimeout() {
		return this.shutdownTimeout;
	}

	/**
	 * How long one disposal may take before it is abandoned; default 10 s.
	 * @return the per-resource timeout, positive
	 */
	public Duration perResourceTimeout() {
		return this.perResourceTimeout;
	}

	/**
	 * How many sync disposals may run at the same time; default 128.
	 * @return the maximum concurrency, at least 1
	 */
	public int maxConcurrency() {
		return this.maxConcurrency;
	}

	/**
	 * How many disposal threads are started once the application has started and kept
	 * idle until it shuts down, so that the shutdown does not pay for starting them; 1 by
	 * default (an ordinary application's fast disposals all run on it), 0 starts threads
	 * only when a disposal needs one.
	 * @return the number of ready threads, from 0 to {@link #maxConcurrency()}
	 */
	public int readyThreads() {
		return this.readyThreads;
	}

	/**
	 * A shutdown that takes longer than this logs its critical path at INFO (otherwise at
	 * DEBUG); default 1 s, zero to always log it at INFO.
	 * @return the threshold, zero or more
	 */
	public Duration criticalPathThreshold() {
		return this.criticalPathThreshold;
	}

	/**
	 * How application-owned prototypes are tracked; default
	 * {@link PrototypeTracking#WEAK}.
	 * @return the prototype tracking
	 */
	public PrototypeTracking prototypeTracking() {
		return this.prototypeTracking;
	}

	/**
	 * With weak tracking, one application-owned prototype in this many is tracked (by
	 * identity hash), the others are left to Spring as with
	 * {@link PrototypeTracking#OFF}; 1, the default, tracks every one. A trade-off for
	 * prototypes created on a hot path: see {@code docs/benchmarks.md}.
	 * @return the prototype sampling interval, at least 1
	 */
	public int prototypeSamplingInterval() {
		return this.prototypeSamplingInterval;
	}

	/**
	 * How leaks are detected and reported; default {@link LeakDetectionLevel#SIMPLE}.
	 * @return the leak detection level
	 */
	public LeakDetectionLevel leakDetectionLevel() {
		return this.leakDetectionLevel;
	}

	/**
	 * At the {@link LeakDetectionLevel#ADVANCED advanced} level, one instance in this
	 * many records its allocation site; default 128.
	 * @return the sampling interval, at least 1
	 */
	public int samplingInterval() {
		return this.samplingInterval;
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

	@Override
	public boolean equals(@Nullable Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof DisposalSettings that)) {
			return false;
		}
		return this.shutdownTimeout.equals(that.shutdownTimeout)
				&& this.perResourceTimeout.equals(that.perResourceTimeout) && this.maxConcurrency == that.maxConcurrency
				&& this.readyThreads == that.readyThreads
				&& this.criticalPathThreshold.equals(that.criticalPathThreshold)
				&& this.prototypeTracking == that.prototypeTracking
				&& this.prototypeSamplingInterval == that.prototypeSamplingInterval
				&& this.leakDetectionLevel == that.leakDetectionLevel && this.samplingInterval == that.samplingInterval;
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.shutdownTimeout, this.perResourceTimeout, this.maxConcurrency, this.readyThreads,
				this.criticalPathThreshold, this.prototypeTracking, this.prototypeSamplingInterval,
				this.leakDetectionLevel, this.samplingInterval);
	}

	@Override
	public String toString() {
		return "DisposalSettings[shutdownTimeout=" + this.shutdownTimeout + ", perResourceTimeout="
				+ this.perResourceTimeout + ", maxConcurrency=" + this.maxConcurrency + ", readyThreads="
				+ this.readyThreads + ", criticalPathThreshold=" + this.criticalPathThreshold + ", prototypeTracking="
				+ this.prototypeTracking + ", prototypeSamplingInterval=" + this.prototypeSamplingInterval
				+ ", leakDetectionLevel=" + this.leakDetectionLevel + ", samplingInterval=" + this.samplingInterval
				+ "]";
	}

	/**
	 * Builds {@link DisposalSettings}, starting from the defaults. Each setter checks its
	 * own value; {@link #build()} checks the values against each other.
	 */
	public static final class Builder {

		private Duration shutdownTimeout = Duration.ofSeconds(30);

		private Duration perResourceTimeout = Duration.ofSeconds(10);

		private int maxConcurrency = 128;

		private int readyThreads = 1;

		private Duration criticalPathThreshold = Duration.ofSeconds(1);

		private PrototypeTracking prototypeTracking = PrototypeTracking.WEAK;

		private int prototypeSamplingInterval = 1;

		private LeakDetectionLevel leakDetectionLevel = LeakDetectionLevel.SIMPLE;

		private int samplingInterval = 128;

		private Builder() {
		}

		private Builder(DisposalSettings settings) {
			this.shutdownTimeout = settings.shutdownTimeout;
			this.perResourceTimeout = settings.perResourceTimeout;
			this.maxConcurrency = settings.maxConcurrency;
			this.readyThreads = settings.readyThreads;
			this.criticalPathThreshold = settings.criticalPathThreshold;
			this.prototypeTracking = settings.prototypeTracking;
			this.prototypeSamplingInterval = settings.prototypeSamplingInterval;
			this.leakDetectionLevel = settings.leakDetectionLevel;
			this.samplingInterval = settings.samplingInterval;
		}

		/**
		 * Sets the overall deadline for disposing everything at context shutdown.
		 * @param shutdownTimeout a positive duration
		 * @return this builder
		 */
		public Builder shutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = positive("shutdownTimeout", shutdownTimeout);
			return this;
		}

		/**
		 * Sets how long one disposal may take before it is abandoned.
		 * @param perResourceTimeout a positive duration
		 * @return this builder
		 */
		public Builder perResourceTimeout(Duration perResourceTimeout) {
			this.perResourceTimeout = positive("perResourceTimeout", perResourceTimeout);
			return this;
		}

		/**
		 * Sets how many sync disposals may run at the same time.
		 * @param maxConcurrency at least 1 (0 would stall every sync disposal until the
		 * deadline)
		 * @return this builder
		 */
		public Builder maxConcurrency(int maxConcurrency) {
			this.maxConcurrency = atLeastOne("maxConcurrency", maxConcurrency);
			return this;
		}

		/**
		 * Sets how many disposal threads are started once the application has started and
		 * kept ready for the shutdown.
		 * @param readyThreads from 0 to the {@linkplain #maxConcurrency(int) maximum
		 * concurrency} (checked by {@link #build()})
		 * @return this builder
		 */
		public Builder readyThreads(int readyThreads) {
			if (readyThreads < 0) {
				throw new IllegalArgumentException("readyThreads must be 0 or more, was " + readyThreads);
			}
			this.readyThreads = readyThreads;
			return this;
		}

		/**
		 * Sets the duration above which a shutdown logs its critical path at INFO.
		 * @param criticalPathThreshold zero or more
		 * @return this builder
		 */
		public Builder criticalPathThreshold(Duration criticalPathThreshold) {
			Objects.requireNonNull(criticalPathThreshold, "criticalPathThreshold must not be null");
			if (criticalPathThreshold.isNegative()) {
				throw new IllegalArgumentException(
						"criticalPathThreshold must not be negative, was " + criticalPathThreshold);
			}
			this.criticalPathThreshold = criticalPathThreshold;
			return this;
		}

		/**
		 * Sets how application-owned prototypes are tracked.
		 * @param prototypeTracking the tracking
		 * @return this builder
		 */
		public Builder prototypeTracking(PrototypeTracking prototypeTracking) {
			this.prototypeTracking = Objects.requireNonNull(prototypeTracking, "prototypeTracking must not be null");
			return this;
		}

		/**
		 * Sets, for weak tracking, one application-owned prototype in how many is
		 * tracked.
		 * @param prototypeSamplingInterval at least 1
		 * @return this builder
		 */
		public Builder prototypeSamplingInterval(int prototypeSamplingInterval) {
			this.prototypeSamplingInterval = atLeastOne("prototypeSamplingInterval", prototypeSamplingInterval);
			return this;
		}

		/**
		 * Sets how leaks are detected and reported.
		 * @param leakDetectionLevel the level
		 * @return this builder
		 */
		public Builder leakDetectionLevel(LeakDetectionLevel leakDetectionLevel) {
			this.leakDetectionLevel = Objects.requireNonNull(leakDetectionLevel, "leakDetectionLevel must not be null");
			return this;
		}

		/**
		 * Sets, at the advanced leak detection level, one instance in how many records
		 * its allocation site.
		 * @param samplingInterval at least 1
		 * @return this builder
		 */
		public Builder samplingInterval(int samplingInterval) {
			this.samplingInterval = atLeastOne("samplingInterval", samplingInterval);
			return this;
		}

		/**
		 * The settings built.
		 * @return the settings
		 * @throws IllegalArgumentException if the ready threads exceed the maximum
		 * concurrency
		 */
		public DisposalSettings build() {
			if (this.readyThreads > this.maxConcurrency) {
				throw new IllegalArgumentException("readyThreads (" + this.readyThreads
						+ ") must not exceed maxConcurrency (" + this.maxConcurrency + ")");
			}
			return new DisposalSettings(this);
		}

		private static Duration positive(String name, Duration value) {
			Objects.requireNonNull(value, () -> name + " must not be null");
			if (value.isNegative() || value.isZero()) {
				throw new IllegalArgumentException(name + " must be positive, was " + value);
			}
			return value;
		}

		private static int atLeastOne(String name, int value) {
			if (value < 1) {
				throw new IllegalArgumentException(name + " must be at least 1, was " + value);
			}
			return value;
		}

	}

}
