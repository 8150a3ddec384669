/**
 * The reactive (WebFlux) web integration: a {@code DisposalScope} per exchange and the
 * handler argument that resolves it. Uses the engine only through its public API
 * ({@link dev.disposables.spring.DetachedDisposalScopes},
 * {@link dev.disposables.spring.InFlightDisposals}).
 */
@NullMarked
package dev.disposables.spring.web.reactive;

import org.jspecify.annotations.NullMarked;
