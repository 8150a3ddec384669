package dev.disposables.spring;

/**
 * How prototype instances that no scope or owner bean owns are tracked.
 */
public enum PrototypeTracking {

	/**
	 * Tracked without being kept reachable: disposed at shutdown if still alive, reported
	 * as a leak if collected undisposed (the default).
	 */
	WEAK,

	/**
	 * Kept reachable until shutdown and disposed then, like .NET's root service provider.
	 */
	STRONG,

	/** Not tracked at all: Spring's own behaviour, prototypes are never disposed. */
	OFF

}
