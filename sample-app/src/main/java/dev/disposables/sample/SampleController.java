package dev.disposables.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationContext;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sample's endpoints, except {@code /reports} (see {@link ReportsController}).
 *
 * <ul>
 * <li>{@code POST /orders?items=3}: a request that uses the request-scoped
 * {@link AuditTrail} and the {@link TelemetryClient}, and records the order in the
 * {@code @Transactional} {@link OrderLedger};</li>
 * <li>{@code GET /audit/{requestId}}: what the audit trail of a request wrote, after the
 * request;</li>
 * <li>{@code GET /leak?count=5}: obtains {@link ScratchFile} prototypes and drops them
 * without disposing them;</li>
 * <li>{@code POST /gc}: asks the JVM to collect garbage, so that dropped prototypes are
 * reported as leaks now;</li>
 * <li>{@code GET /stats}: the sample's own counters; {@code GET /telemetry}: the
 * telemetry client's.</li>
 * </ul>
 */
@RestController
public class SampleController {

	private final ObjectProvider<AuditTrail> audit;

	private final AuditStore auditStore;

	private final TelemetryClient telemetry;

	private final SampleCounters counters;

	private final SampleProperties properties;

	private final ApplicationContext context;

	private final OrderLedger ledger;

	public SampleController(ObjectProvider<AuditTrail> audit, AuditStore auditStore, TelemetryClient telemetry,
			SampleCounters counters, SampleProperties properties, ApplicationContext context, OrderLedger ledger) {
		this.audit = audit;
		this.ledger = ledger;
		this.auditStore = auditStore;
		this.telemetry = telemetry;
		this.counters = counters;
		this.properties = properties;
		this.context = context;
	}

	@PostMapping("/orders")
	public Map<String, Object> order(@RequestParam(defaultValue = "3") int items) throws InterruptedException {
		AuditTrail trail = this.audit.getObject();
		trail.record("priced " + items + " items");
		Thread.sleep(this.properties.work().toMillis()); // simulated work
		this.ledger.record(trail.requestId(), items);
		trail.record("stored");
		this.telemetry.record("order", trail.requestId());
		return Map.of("requestId", trail.requestId(), "items", items);
	}

	@GetMapping("/audit/{requestId}")
	public ResponseEntity<Map<String, Object>> audit(@PathVariable String requestId) {
		Map<String, Object> found = this.auditStore.find(requestId);
		return found.isEmpty() ? ResponseEntity.notFound().build() : ResponseEntity.ok(found);
	}

	@GetMapping("/leak")
	public Map<String, Object> leak(@RequestParam(defaultValue = "1") int count) {
		AuditTrail trail = this.audit.getObject();
		for (int i = 0; i < count; i++) {
			// A prototype obtained from the context and dropped: nobody disposes it. With
			// weak tracking the starter
			// does not keep it reachable and reports it as a leak once it is
			// garbage-collected.
			this.context.getBean(ScratchFile.class).path();
		}
		trail.record("leaked " + count + " scratch files");
		this.telemetry.record("leak", Integer.toString(count));
		return Map.of("requestId", trail.requestId(), "leaked", count);
	}

	@PostMapping("/gc")
	public Map<String, Object> gc() {
		System.gc();
		return Map.of("gc", "requested");
	}

	@GetMapping("/stats")
	public Map<String, Long> stats() {
		return this.counters.snapshot();
	}

	@GetMapping("/telemetry")
	public Map<String, Object> telemetry() {
		Map<String, Object> stats = new LinkedHashMap<>(this.telemetry.stats());
		stats.put("file", this.properties.telemetryFile().toAbsolutePath().toString());
		return stats;
	}

}
