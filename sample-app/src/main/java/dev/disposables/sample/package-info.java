/**
 * The sample application: every feature of the starter with real resources (a
 * request-scoped audit trail written to H2, report writers per {@code DisposalScope}, an
 * async telemetry client, a transactional ledger, a planted leak).
 */
@NullMarked
package dev.disposables.sample;

import org.jspecify.annotations.NullMarked;
