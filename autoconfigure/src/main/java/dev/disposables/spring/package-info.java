/**
 * Spring integration of Disposables: detection of disposable beans, the
 * {@link dev.disposables.spring.DisposableRegistry} that tracks every managed resource,
 * and the dependency-ordered, concurrent disposal at context shutdown.
 */
@NullMarked
package dev.disposables.spring;

import org.jspecify.annotations.NullMarked;
