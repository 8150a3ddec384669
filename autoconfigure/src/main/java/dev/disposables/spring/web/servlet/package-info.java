/**
 * The servlet web integration: request-scoped beans disposed when the request has really
 * completed. Uses the engine only through its public API
 * ({@link dev.disposables.spring.RequestResources},
 * {@link dev.disposables.spring.InFlightDisposals}).
 */
@NullMarked
package dev.disposables.spring.web.servlet;

import org.jspecify.annotations.NullMarked;
