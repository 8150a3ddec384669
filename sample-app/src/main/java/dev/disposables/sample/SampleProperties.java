package dev.disposables.sample;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the sample application ({@code sample.*}).
 *
 * @param dataDir where the audit database, the reports, the telemetry file and the
 * housekeeping log are written
 * @param work simulated work per {@code POST /orders} request
 * @param telemetryFlushInterval how often the telemetry client writes its batch
 */
@ConfigurationProperties("sample")
public record SampleProperties(@DefaultValue("./data") Path dataDir, @DefaultValue("20ms") Duration work,
		@DefaultValue("1s") Duration telemetryFlushInterval) {

	Path reportsDir() {
		return this.dataDir.resolve("reports");
	}

	Path scratchDir() {
		return this.dataDir.resolve("scratch");
	}

	Path telemetryFile() {
		return this.dataDir.resolve("telemetry.ndjson");
	}

	Path housekeepingLog() {
		return this.dataDir.resolve("housekeeping.log");
	}

}
