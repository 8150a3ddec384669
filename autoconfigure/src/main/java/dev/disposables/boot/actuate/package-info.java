/**
 * Observability of Disposables: the {@code disposables} actuator endpoint and the
 * Micrometer metrics.
 */
@NullMarked
package dev.disposables.boot.actuate;

import org.jspecify.annotations.NullMarked;
