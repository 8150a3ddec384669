package dev.disposables.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A runnable web application that shows every Disposables feature with real resources:
 *
 * <ul>
 * <li>{@link AuditTrail}: request-scoped, disposed asynchronously after the request;
 * writes the request's events to an H2 file database in one batch through
 * {@link AuditStore} and Boot's pooled {@code DataSource};</li>
 * <li>{@link ReportWriter}: a prototype {@code AutoCloseable} writing a file, obtained
 * through a {@code DisposalScope} per request ({@code POST /reports});</li>
 * <li>{@link TelemetryClient}: a singleton {@code AsyncDisposable} that batches events
 * and writes the last batch in {@code disposeAsync()} with asynchronous file I/O;</li>
 * <li>{@link UnitOfWork}: a {@code @DisposalScoped} bean used by the scheduled
 * {@link HousekeepingJob};</li>
 * <li>{@link ScratchFile}: a prototype that {@code GET /leak} drops on purpose, to show
 * leak detection.</li>
 * </ul>
 */
@SpringBootApplication
@EnableScheduling
@ConfigurationPropertiesScan
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
