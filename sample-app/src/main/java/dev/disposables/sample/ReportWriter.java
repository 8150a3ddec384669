package dev.disposables.sample;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * Writes one report file. A prototype {@link AutoCloseable}: Spring never destroys
 * prototypes, so the application obtains it through a {@code DisposalScope}, which closes
 * it when the scope ends. {@link #close()} writes the trailer line and flushes: a file
 * without its trailer would be a report that was never closed.
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
public class ReportWriter implements AutoCloseable {

	/** The last line of every complete report starts with this. */
	public static final String TRAILER = "# end of report";

	private final String id = UUID.randomUUID().toString();

	private final Path file;

	private final BufferedWriter out;

	private final SampleCounters counters;

	private final AtomicBoolean closed = new AtomicBoolean();

	private int lines;

	public ReportWriter(SampleProperties properties, SampleCounters counters) throws IOException {
		this.counters = counters;
		Files.createDirectories(properties.reportsDir());
		this.file = properties.reportsDir().resolve("report-" + this.id + ".txt");
		this.out = Files.newBufferedWriter(this.file, StandardCharsets.UTF_8);
		this.out.write("# report " + this.id + " opened at " + Instant.now());
		this.out.newLine();
		counters.reportsCreated.incrementAndGet();
	}

	public String id() {
		return this.id;
	}

	public Path file() {
		return this.file;
	}

	public synchronized void line(String text) throws IOException {
		if (this.closed.get()) {
			throw new IllegalStateException("Report " + this.id + " is closed");
		}
		this.out.write(text);
		this.out.newLine();
		this.lines++;
	}

	/** Idempotent: writes the trailer and closes the file once. */
	@Override
	public synchronized void close() throws IOException {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		try (BufferedWriter writer = this.out) {
			writer.write(TRAILER + " " + this.id + ": " + this.lines + " lines");
			writer.newLine();
		}
		this.counters.reportsClosed.incrementAndGet();
	}

}
