/**
 * Benchmarks, always side by side with stock Spring in one run: JMH for micro benchmarks,
 * whole applications for shutdown, request latency and retention (see
 * {@code docs/benchmarks.md}).
 */
@NullMarked
package dev.disposables.benchmarks;

import org.jspecify.annotations.NullMarked;
