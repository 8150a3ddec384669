/**
 * Test support: AssertJ assertions on a
 * {@link dev.disposables.spring.DisposableRegistry}, for the application's own tests.
 * Needs AssertJ on the test class path.
 *
 * <p>
 * Deprecated since 0.2.0: test support lives in {@code disposables-spring-boot-test},
 * package {@code dev.disposables.test}.
 */
@NullMarked
package dev.disposables.spring.test;

import org.jspecify.annotations.NullMarked;
