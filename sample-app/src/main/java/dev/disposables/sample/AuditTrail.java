package dev.disposables.sample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import dev.disposables.DisposableBase;

import org.springframework.context.annotation.ScopedProxyMode;
import org.springframework.stereotype.Component;
import org.springframework.web.context.annotation.RequestScope;

/**
 * The audit trail of one HTTP request: collects events while the request runs and, when
 * it is disposed after the request has completed, writes them to the database in one
 * batch.
 *
 * <p>
 * Request scope plus {@code AsyncDisposable} (through {@link DisposableBase}): the
 * starter disposes it once the request has really completed, without holding the request
 * thread, and the write runs on the {@link AuditStore}'s threads. Writes still in flight
 * at shutdown are awaited before the {@code DataSource} is closed, so no audit is lost.
 */
@Component
@RequestScope(proxyMode = ScopedProxyMode.NO) // obtained per request through an
												// ObjectProvider
public class AuditTrail extends DisposableBase {

	private final AuditStore store;

	private final SampleCounters counters;

	private final String requestId = UUID.randomUUID().toString();

	private final Instant startedAt = Instant.now();

	private final List<String> events = new ArrayList<>();

	private String method = "?";

	private String path = "?";

	private int status;

	public AuditTrail(AuditStore store, SampleCounters counters) {
		this.store = store;
		this.counters = counters;
		counters.auditTrailsCreated.incrementAndGet();
	}

	/**
	 * The id of this request, returned to the client as the {@code X-Request-Id} header.
	 * @return the id
	 */
	public String requestId() {
		return this.requestId;
	}

	public synchronized void begin(String method, String path) {
		throwIfDisposed();
		this.method = method;
		this.path = path;
		this.events.add("begin " + method + " " + path);
	}

	public synchronized void record(String event) {
		throwIfDisposed();
		this.events.add(event);
	}

	public synchronized void end(int status) {
		throwIfDisposed();
		this.status = status;
		this.events.add("end " + status);
	}

	/** After the request: one batch, one transaction. */
	@Override
	protected CompletionStage<?> disposeAsyncCore() {
		AuditStore.AuditBatch batch;
		synchronized (this) {
			batch = new AuditStore.AuditBatch(this.requestId, this.method, this.path, this.status,
					List.copyOf(this.events), this.startedAt, Instant.now());
		}
		return this.store.writeAsync(batch).whenComplete((ignored, failure) -> {
			if (failure == null) {
				this.counters.auditTrailsWritten.incrementAndGet();
			}
			else {
				this.counters.auditTrailsFailed.incrementAndGet();
			}
		});
	}

}
