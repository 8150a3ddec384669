package dev.disposables.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Records what the end-to-end tests measured: printed, and appended to
 * {@code target/e2e/measurements.txt}.
 */
final class Measurements {

	private Measurements() {
	}

	static void record(String test, String text) {
		String line = Instant.now() + " [" + test + ", " + SampleAppProcess.variant() + " jar] " + text;
		System.out.println("E2E MEASUREMENT " + line);
		try {
			Path file = Paths.get("target", "e2e", "measurements.txt");
			Files.createDirectories(file.getParent());
			Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
