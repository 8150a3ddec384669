package dev.disposables.spring;

/**
 * How much work leak detection does, after Netty's levels.
 */
public enum LeakDetectionLevel {

	/** No leak reports at all; weakly tracked prototypes are still disposed at shutdown if alive. */
	DISABLED,

	/** Leaks are reported; no allocation site is recorded (the default). */
	SIMPLE,

	/** Leaks are reported; one instance in {@code sampling-interval} records where it was allocated. */
	ADVANCED,

	/** Leaks are reported; every instance records where it was allocated. For tests, not production. */
	PARANOID

}
