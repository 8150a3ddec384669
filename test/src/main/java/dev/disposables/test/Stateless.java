package dev.disposables.test;

import org.jspecify.annotations.Nullable;

/**
 * A component with no state, whose instances are all equal: Spring's test framework
 * compares context customizers to find a cached context and listeners to drop duplicates,
 * and two instances of one stateless class must count as the same.
 */
abstract class Stateless {

	@Override
	public boolean equals(@Nullable Object other) {
		return other != null && other.getClass() == getClass();
	}

	@Override
	public int hashCode() {
		return getClass().hashCode();
	}

}
