/**
 * Test support: AssertJ assertions on a {@link dev.disposables.spring.DisposableRegistry}, for the application's
 * own tests. Needs AssertJ on the test class path.
 */
@NullMarked
package dev.disposables.spring.test;

import org.jspecify.annotations.NullMarked;
