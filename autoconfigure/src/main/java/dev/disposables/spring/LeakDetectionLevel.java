package dev.disposables.spring;

/**
 * How much work leak detection does, after Netty's levels, with one difference: Netty
 * tracks only a sample of its buffers below {@code PARANOID}, while the starter tracks
 * every instance at every level (it must, to dispose it at shutdown); the level only
 * decides what is reported and which instances record their allocation site. Sampling
 * ({@code ADVANCED}) is random, one instance in {@code sampling-interval} on average, as
 * Netty samples.
 *
 * @since 0.1.0
 */
public enum LeakDetectionLevel {

	/**
	 * No leak reports at all; weakly tracked prototypes are still disposed at shutdown if
	 * alive.
	 */
	DISABLED,

	/** Leaks are reported; no allocation site is recorded (the default). */
	SIMPLE,

	/**
	 * Leaks are reported; one instance in {@code sampling-interval} on average, chosen at
	 * random, records where it was allocated.
	 */
	ADVANCED,

	/**
	 * Leaks are reported; every instance records where it was allocated. For tests, not
	 * production.
	 */
	PARANOID

}
