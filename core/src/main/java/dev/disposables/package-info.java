/**
 * The dispose pattern in plain Java: {@link dev.disposables.AsyncDisposable},
 * {@link dev.disposables.DisposableBase}, {@link dev.disposables.DisposableStack},
 * {@link dev.disposables.AsyncDisposableStack} and the {@link dev.disposables.Disposal}
 * helpers. Nothing is {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package dev.disposables;

import org.jspecify.annotations.NullMarked;
