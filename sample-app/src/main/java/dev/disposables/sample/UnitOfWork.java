package dev.disposables.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.disposables.spring.DisposalScoped;

import org.springframework.stereotype.Component;

/**
 * One housekeeping run's unit of work: collects findings while the run goes on and
 * commits them — one line appended to {@code housekeeping.log} — when it is closed.
 *
 * <p>
 * {@link DisposalScoped @DisposalScoped}: one instance per open {@code DisposalScope},
 * shared by every bean that uses it during that scope (here {@link HousekeepingJob} and
 * {@link Inventory}, through a scoped proxy), and closed when the scope ends. Using it
 * with no scope open fails with a clear {@code IllegalStateException}.
 */
@Component
@DisposalScoped
public class UnitOfWork implements AutoCloseable {

	private static final AtomicLong runs = new AtomicLong();

	private final SampleProperties properties;

	private final SampleCounters counters;

	private final long run = runs.incrementAndGet();

	private final List<String> findings = new ArrayList<>();

	private final AtomicBoolean closed = new AtomicBoolean();

	public UnitOfWork(SampleProperties properties, SampleCounters counters) {
		this.properties = properties;
		this.counters = counters;
		counters.unitsOfWorkCreated.incrementAndGet();
	}

	public long run() {
		return this.run;
	}

	public synchronized void found(String finding) {
		if (this.closed.get()) {
			throw new IllegalStateException("Unit of work " + this.run + " is closed");
		}
		this.findings.add(finding);
	}

	/** Commits the findings: one line appended to the housekeeping log. */
	@Override
	public synchronized void close() throws IOException {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		Files.createDirectories(this.properties.dataDir());
		Files.writeString(this.properties.housekeepingLog(),
				"run " + this.run + " at " + Instant.now() + ": " + String.join(", ", this.findings)
						+ System.lineSeparator(),
				StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		this.counters.unitsOfWorkCommitted.incrementAndGet();
	}

}
