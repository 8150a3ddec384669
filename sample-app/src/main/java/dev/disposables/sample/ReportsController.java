package dev.disposables.sample;

import java.io.IOException;
import java.util.Map;

import dev.disposables.spring.DisposalScope;
import dev.disposables.spring.DisposalScopes;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /reports?lines=20}: writes a report file with a prototype
 * {@link ReportWriter} obtained through a {@link DisposalScope}. The scope owns the
 * writer and closes it when the scope ends (here at the end of the try-with-resources
 * block), however the block is left.
 */
@RestController
public class ReportsController {

	private final ObjectProvider<DisposalScopes> scopes;

	private final ObjectProvider<ReportWriter> writers;

	private final ObjectProvider<AuditTrail> audit;

	private final TelemetryClient telemetry;

	public ReportsController(ObjectProvider<DisposalScopes> scopes, ObjectProvider<ReportWriter> writers,
			ObjectProvider<AuditTrail> audit, TelemetryClient telemetry) {
		this.scopes = scopes;
		this.writers = writers;
		this.audit = audit;
		this.telemetry = telemetry;
	}

	@PostMapping("/reports")
	public Map<String, Object> report(@RequestParam(defaultValue = "20") int lines) throws Exception {
		AuditTrail trail = this.audit.getObject();
		ReportWriter writer;
		DisposalScopes disposalScopes = this.scopes.getIfAvailable();
		if (disposalScopes != null) {
			try (DisposalScope scope = disposalScopes.open()) {
				writer = scope.getBean(ReportWriter.class); // owned by the scope
				write(writer, lines, trail);
			} // the scope ends: the writer is closed (trailer written, file flushed)
		}
		else {
			// disposables.enabled=false: no scopes, so the application closes the
			// prototype itself
			try (ReportWriter unmanaged = this.writers.getObject()) {
				writer = unmanaged;
				write(writer, lines, trail);
			}
		}
		this.telemetry.record("report", writer.id());
		return Map.of("requestId", trail.requestId(), "reportId", writer.id(), "file", writer.file().toString(),
				"lines", lines);
	}

	private static void write(ReportWriter writer, int lines, AuditTrail trail) throws IOException {
		for (int i = 1; i <= lines; i++) {
			writer.line("line " + i + " of request " + trail.requestId());
		}
		trail.record("report " + writer.id() + " written");
	}

}
