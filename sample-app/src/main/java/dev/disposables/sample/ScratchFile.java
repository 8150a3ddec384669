package dev.disposables.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.disposables.DisposableBase;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * A temporary file, deleted when disposed. A prototype that {@code GET /leak} obtains and
 * drops on purpose: under {@code disposables.prototypes.tracking=weak} the starter tracks
 * it without keeping it reachable, and reports it as a leak once it has been
 * garbage-collected undisposed ({@code /actuator/disposables},
 * {@code disposables.leaks}).
 *
 * <p>
 * It also registers a <em>leak cleanup</em> ({@link DisposableBase#registerLeakCleanup}):
 * a last-resort action on a {@code Cleaner} thread that deletes the file if the object is
 * collected without having been disposed. The action captures the path and the counters
 * only, never {@code this}.
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
public class ScratchFile extends DisposableBase {

	private final Path path;

	private final SampleCounters counters;

	public ScratchFile(SampleProperties properties, SampleCounters counters) {
		this.counters = counters;
		try {
			Files.createDirectories(properties.scratchDir());
			this.path = Files.createTempFile(properties.scratchDir(), "scratch-", ".tmp");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		counters.scratchCreated.incrementAndGet();
		Path file = this.path;
		registerLeakCleanup(() -> {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				// nothing more to do on a Cleaner thread
			}
			counters.scratchCleanedAfterLeak.incrementAndGet();
		});
	}

	public Path path() {
		throwIfDisposed();
		return this.path;
	}

	@Override
	protected void disposeCore() throws IOException {
		Files.deleteIfExists(this.path);
		this.counters.scratchDisposed.incrementAndGet();
	}

}
