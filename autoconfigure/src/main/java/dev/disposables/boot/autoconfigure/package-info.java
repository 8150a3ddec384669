/**
 * Auto-configuration of Disposables: properties under {@code disposables.*}, the
 * registry, the bean post-processor and the shutdown lifecycle.
 */
@NullMarked
package dev.disposables.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
