package dev.disposables.sample;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

/**
 * What the sample's own resources counted: how many were created and how many were
 * disposed, so that the end-to-end tests can check that the numbers add up
 * ({@code GET /stats}, and one log line at shutdown).
 */
@Component
public class SampleCounters {

	final AtomicLong auditTrailsCreated = new AtomicLong();

	final AtomicLong auditTrailsWritten = new AtomicLong();

	final AtomicLong auditTrailsFailed = new AtomicLong();

	final AtomicLong reportsCreated = new AtomicLong();

	final AtomicLong reportsClosed = new AtomicLong();

	final AtomicLong scratchCreated = new AtomicLong();

	final AtomicLong scratchDisposed = new AtomicLong();

	final AtomicLong scratchCleanedAfterLeak = new AtomicLong();

	final AtomicLong unitsOfWorkCreated = new AtomicLong();

	final AtomicLong unitsOfWorkCommitted = new AtomicLong();

	final AtomicLong telemetryRecorded = new AtomicLong();

	final AtomicLong telemetryWritten = new AtomicLong();

	/**
	 * A snapshot, in a stable order.
	 * @return counter name to value
	 */
	public Map<String, Long> snapshot() {
		Map<String, Long> values = new LinkedHashMap<>();
		values.put("auditTrailsCreated", this.auditTrailsCreated.get());
		values.put("auditTrailsWritten", this.auditTrailsWritten.get());
		values.put("auditTrailsFailed", this.auditTrailsFailed.get());
		values.put("reportsCreated", this.reportsCreated.get());
		values.put("reportsClosed", this.reportsClosed.get());
		values.put("scratchCreated", this.scratchCreated.get());
		values.put("scratchDisposed", this.scratchDisposed.get());
		values.put("scratchCleanedAfterLeak", this.scratchCleanedAfterLeak.get());
		values.put("unitsOfWorkCreated", this.unitsOfWorkCreated.get());
		values.put("unitsOfWorkCommitted", this.unitsOfWorkCommitted.get());
		values.put("telemetryRecorded", this.telemetryRecorded.get());
		values.put("telemetryWritten", this.telemetryWritten.get());
		return values;
	}

}
