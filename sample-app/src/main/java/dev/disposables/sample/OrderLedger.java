package dev.disposables.sample;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records every order in the database, in a transaction: a {@code @Transactional} bean,
 * so what the application context holds is a CGLIB proxy of it (Boot proxies target
 * classes), while its state lives in the bean itself.
 *
 * <p>
 * Its {@code @PreDestroy} method is private, as Spring allows for lifecycle methods: when
 * the application shuts down it must run exactly once, on the bean itself — never on the
 * proxy, whose fields were never initialized — and before the {@code DataSource} it
 * writes to is closed. It writes one row to {@code ledger_close} with the number of
 * orders it recorded; the end-to-end test reads that row after the process has exited.
 */
@Component
@Transactional
public class OrderLedger {

	private static final Log logger = LogFactory.getLog(OrderLedger.class);

	private final JdbcTemplate jdbc;

	private final String instanceId = UUID.randomUUID().toString();

	private final AtomicInteger recorded = new AtomicInteger();

	public OrderLedger(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Records one order.
	 * @param requestId the request that placed it
	 * @param items how many items
	 */
	public void record(String requestId, int items) {
		this.jdbc.update("INSERT INTO order_ledger (request_id, items, recorded_at) VALUES (?, ?, ?)", requestId, items,
				Timestamp.from(Instant.now()));
		this.recorded.incrementAndGet();
	}

	@Transactional(readOnly = true)
	public int count() {
		Integer count = this.jdbc.queryForObject("SELECT COUNT(*) FROM order_ledger", Integer.class);
		return (count != null) ? count : 0;
	}

	/** Closes the ledger: one row, on the bean itself (a proxy has no JdbcTemplate). */
	@PreDestroy
	private void close() {
		this.jdbc.update("INSERT INTO ledger_close (instance_id, recorded, closed_at, thread) VALUES (?, ?, ?, ?)",
				this.instanceId, this.recorded.get(), Timestamp.from(Instant.now()), Thread.currentThread().getName());
		logger.info("Order ledger closed after " + this.recorded.get() + " orders");
	}

}
