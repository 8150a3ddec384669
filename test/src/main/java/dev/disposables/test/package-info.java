/**
 * Test support for Disposables:
 * {@link dev.disposables.test.DisposablesLeakCheck @DisposablesLeakCheck} fails a test
 * that leaves a resource it created undisposed or leaks one,
 * {@link dev.disposables.test.LeakCheck} does the same for an
 * {@code ApplicationContextRunner},
 * {@link dev.disposables.test.AutoConfigureDisposables @AutoConfigureDisposables} adds
 * Disposables to a test slice, and {@link dev.disposables.test.DisposablesAssert} asserts
 * on a registry.
 */
@NullMarked
package dev.disposables.test;

import org.jspecify.annotations.NullMarked;
