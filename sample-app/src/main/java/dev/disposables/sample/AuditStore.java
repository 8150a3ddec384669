package dev.disposables.sample;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.disposables.DisposableBase;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes audit batches to the database, off the caller's thread, one transaction per
 * request.
 *
 * <p>
 * It depends on the {@link JdbcTemplate} (and so on the pooled {@code DataSource}): at
 * shutdown the starter disposes it only after every request-scoped {@link AuditTrail} has
 * been written, and disposes the {@code DataSource} only after it. Its own disposal waits
 * for the writes still queued, then stops its threads.
 */
@Component
public class AuditStore extends DisposableBase {

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final ExecutorService writers;

	private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();

	public AuditStore(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.transactions = new TransactionTemplate(transactionManager);
		AtomicInteger threads = new AtomicInteger();
		this.writers = Executors.newFixedThreadPool(4, (task) -> {
			Thread thread = new Thread(task, "audit-writer-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Writes one request's events in one transaction, asynchronously.
	 * @param batch the request and its events
	 * @return a stage that completes when the batch is committed
	 * @throws dev.disposables.ObjectDisposedException if the store has been disposed
	 */
	public CompletionStage<Void> writeAsync(AuditBatch batch) {
		throwIfDisposed();
		CompletableFuture<Void> write = CompletableFuture.runAsync(() -> write(batch), this.writers);
		this.pending.add(write);
		write.whenComplete((ignored, failure) -> this.pending.remove(write));
		return write;
	}

	private void write(AuditBatch batch) {
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.update(
					"INSERT INTO audit_request (request_id, method, path, status, event_count, started_at, completed_at)"
							+ " VALUES (?, ?, ?, ?, ?, ?, ?)",
					batch.requestId(), batch.method(), batch.path(), batch.status(), batch.events().size(),
					Timestamp.from(batch.startedAt()), Timestamp.from(batch.completedAt()));
			List<Object[]> rows = new ArrayList<>();
			for (int i = 0; i < batch.events().size(); i++) {
				rows.add(new Object[] { batch.requestId(), i + 1, batch.events().get(i) });
			}
			this.jdbc.batchUpdate("INSERT INTO audit_event (request_id, seq, event) VALUES (?, ?, ?)", rows);
		});
	}

	/**
	 * The audit of one request, as written.
	 * @param requestId the request id
	 * @return the request's row and its events, or an empty map if none was written
	 */
	public Map<String, Object> find(String requestId) {
		throwIfDisposed();
		List<Map<String, Object>> request = this.jdbc.queryForList("SELECT * FROM audit_request WHERE request_id = ?",
				requestId);
		if (request.isEmpty()) {
			return Map.of();
		}
		List<String> events = this.jdbc.queryForList("SELECT event FROM audit_event WHERE request_id = ? ORDER BY seq",
				String.class, requestId);
		return Map.of("request", request.get(0), "events", events);
	}

	/**
	 * Waits (without holding a thread) for the writes still queued, then stops the writer
	 * threads.
	 */
	@Override
	protected CompletionStage<?> disposeAsyncCore() {
		return CompletableFuture.allOf(this.pending.toArray(CompletableFuture<?>[]::new)).handle((ignored, failure) -> {
			this.writers.shutdown();
			return null;
		});
	}

	/**
	 * One request's audit.
	 *
	 * @param requestId the request id
	 * @param method the HTTP method
	 * @param path the request path
	 * @param status the response status
	 * @param events what happened, in order
	 * @param startedAt when the request started
	 * @param completedAt when it completed
	 */
	public record AuditBatch(String requestId, String method, String path, int status, List<String> events,
			Instant startedAt, Instant completedAt) {
	}

}
