package dev.disposables.sample;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * CDS and AOT-cache training runs, as Spring Boot's documentation describes them: the jar
 * is extracted ({@code -Djarmode=tools extract}), the application is started once with
 * {@code -Dspring.context.exit=onRefresh} and an option that writes the archive at exit;
 * it must exit by itself, with status 0, promptly and cleanly (no warning or error of the
 * application's, no stack trace, no leak). The application then starts from that archive
 * and passes a smoke check: HTTP requests, the starter's endpoint, and SIGTERM with a
 * clean shutdown summary. The class loading log proves that the starter's classes came
 * from the archive, so the check is not vacuous.
 *
 * <p>
 * Run against the plain jar and against the AOT-processed one (with
 * {@code -Dspring.aot.enabled=true}, the combination Boot recommends). Start-up figures
 * are recorded in {@code target/e2e/measurements.txt}, never asserted.
 */
class TrainingRunIT {

	/** Temurin 25, where the machine has it: JEP 483/514 AOT cache. */
	static final Path JDK_25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64");

	/**
	 * Generous: two CPU cores are shared with other builds; a training run is a full
	 * start plus the dump.
	 */
	private static final Duration TRAINING_TIMEOUT = Duration.ofSeconds(240);

	/**
	 * Boot's log level column: a WARN or ERROR logged by the application or a library
	 * during the training run.
	 */
	private static final Pattern WARN_OR_ERROR = Pattern.compile("^\\S+\\s+(WARN|ERROR) \\d+ --- ", Pattern.MULTILINE);

	/**
	 * A line of the JVM's unified logging, such as {@code [9.201s][warning][cds] ...}.
	 */
	private static final Pattern JVM_LOG_LINE = Pattern.compile("^\\[[\\d.]+s\\]\\[.*$", Pattern.MULTILINE);

	private static final Pattern STARTED = Pattern
		.compile("Started SampleApplication in ([\\d.]+) seconds \\(process running for ([\\d.]+)\\)");

	@TempDir
	Path work;

	@Test
	void cdsArchiveFromATrainingRunOnTheBuildJdk() throws Exception {
		trainThenRun("cds", SampleAppProcess.currentJava(), "-XX:ArchiveClassesAtExit=", "-XX:SharedArchiveFile=",
				"app.jsa");
	}

	@Test
	void aotCacheFromATrainingRunOnJdk25() throws Exception {
		Path java = JDK_25.resolve("bin").resolve("java");
		assumeTrue(Files.isExecutable(java), "JDK 25 not installed at " + JDK_25);
		trainThenRun("aot-cache", java, "-XX:AOTCacheOutput=", "-XX:AOTCache=", "app.aot");
	}

	private void trainThenRun(String name, Path java, String writeOption, String useOption, String archiveName)
			throws Exception {
		Path app = extract(java);
		Path archive = this.work.resolve(archiveName);

		Path trainingLog = SampleAppProcess.logFile(name + "-training");
		List<String> training = SampleAppProcess.command(java,
				List.of(writeOption + archive, "-Dspring.context.exit=onRefresh"), app);
		training.addAll(List.of("--server.port=0", "--sample.data-dir=" + this.work.resolve("training-data")));
		long start = System.nanoTime();
		Process process = new ProcessBuilder(training).redirectErrorStream(true)
			.redirectOutput(trainingLog.toFile())
			.start();
		boolean exited = process.waitFor(TRAINING_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		long trainingMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		if (!exited) {
			process.destroyForcibly();
		}
		String log = Files.readString(trainingLog);
		assertThat(exited).as("the training run exited by itself; log:\n%s", log).isTrue();
		assertThat(process.exitValue()).as("exit status of the training run; log:\n%s", log).isZero();
		assertThat(archive).as("the archive written at exit").isNotEmptyFile();
		// The JVM's own [warning][cds] / [warning][aot] lines (classes it cannot archive,
		// such as optional classes
		// that fail verification) are expected; nothing of the application's may
		// complain.
		String applicationLog = JVM_LOG_LINE.matcher(log).replaceAll("");
		assertThat(WARN_OR_ERROR.matcher(applicationLog).find()).as("a WARN or ERROR in the training run:\n%s", log)
			.isFalse();
		assertThat(applicationLog).doesNotContain("Exception")
			.doesNotContain("\tat ")
			.doesNotContainIgnoringCase("leak");

		Path classLoading = this.work.resolve(name + "-class-load.log");
		try (SampleAppProcess run = SampleAppProcess.start(name + "-from-archive", this.work.resolve("data"), java,
				List.of(useOption + archive, "-Xlog:class+load=info:file=" + classLoading), app, List.of())) {
			HttpResponse<String> order = run.post("/orders?items=1");
			assertThat(order.statusCode()).isEqualTo(200);
			HttpResponse<String> disposables = run.get("/actuator/disposables");
			assertThat(disposables.statusCode()).isEqualTo(200);
			assertThat(JsonPath.<List<String>>read(disposables.body(), "$.resources[*].beanName"))
				.contains("telemetryClient");

			SampleAppProcess.Stopped stopped = run.stop();

			assertThat(stopped.exitCode()).as("exit code after SIGTERM").isEqualTo(143);
			long[] summary = run.summary();
			assertThat(summary[4]).as("failed").isZero();
			assertThat(summary[5]).as("timed out").isZero();
			assertThat(run.logText()).doesNotContain(" ERROR ").doesNotContain("ObjectDisposedException");
			assertThat(Files.readString(classLoading))
				.as("the starter's classes are loaded from the archive (-Xlog:class+load)")
				.containsPattern("dev\\.disposables\\.spring\\.DisposableRegistry source: shared objects file");
			Matcher started = STARTED.matcher(run.logText());
			assertThat(started.find()).isTrue();
			Measurements.record("TrainingRunIT",
					name + " on " + java.getParent().getParent().getFileName() + ": training run exited 0 in "
							+ trainingMillis + " ms (archive " + Files.size(archive) / 1024
							+ " KiB); started from it in " + started.group(1) + " s (JVM up " + started.group(2)
							+ " s); SIGTERM to exit " + stopped.millis() + " ms");
		}
	}

	/**
	 * {@code java -Djarmode=tools -jar app.jar extract}: the layout CDS and the AOT cache
	 * work best with.
	 */
	private Path extract(Path java) throws IOException, InterruptedException {
		Path destination = this.work.resolve("app");
		List<String> command = new ArrayList<>(List.of(java.toString(), "-Djarmode=tools", "-jar",
				SampleAppProcess.jar().toString(), "extract", "--destination", destination.toString()));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.work.resolve("extract.log").toFile())
			.start();
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("extraction finished").isTrue();
		assertThat(process.exitValue())
			.as("extraction exit status; log:\n%s", Files.readString(this.work.resolve("extract.log")))
			.isZero();
		Path jar = destination.resolve(SampleAppProcess.jar().getFileName());
		assertThat(jar).isRegularFile();
		return jar;
	}

}
