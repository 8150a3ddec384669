package dev.disposables.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged sample application ({@code sample.jar}, set by failsafe) running as a
 * separate process on a free port, with its own data directory; stdout and stderr go to a
 * log file under {@code target/e2e}.
 */
final class SampleAppProcess implements AutoCloseable {

	/** Generous: two CPU cores are shared with other builds. */
	static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(240);

	static final Pattern SUMMARY = Pattern.compile(
			"Disposed (\\d+) resources \\(async (\\d+), sync (\\d+)\\) in (\\d+) ms: (\\d+) failed, (\\d+) timed out");

	static final Pattern TALLY = Pattern.compile("Sample tally: \\{([^}]*)\\}(.*)$", Pattern.MULTILINE);

	static final Pattern REGISTRY = Pattern.compile("registry\\[(\\w+)\\] \\{([^}]*)\\}");

	final String name;

	final int port;

	final Path dataDir;

	final Path log;

	final Process process;

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private SampleAppProcess(String name, int port, Path dataDir, Path log, Process process) {
		this.name = name;
		this.port = port;
		this.dataDir = dataDir;
		this.log = log;
		this.process = process;
	}

	static SampleAppProcess start(String name, Path dataDir, String... extraArgs) throws IOException {
		return start(name, dataDir, currentJava(), List.of(), jar(), List.of(extraArgs));
	}

	/**
	 * Starts the application with the given {@code java} launcher from {@code jar} (the
	 * packaged one, or one extracted from it) with extra JVM options.
	 */
	static SampleAppProcess start(String name, Path dataDir, Path java, List<String> jvmOptions, Path jar,
			List<String> args) throws IOException {
		int port = freePort();
		Path log = logFile(name);
		List<String> command = command(java, jvmOptions, jar);
		command.addAll(List.of("--server.port=" + port, "--sample.data-dir=" + dataDir.toAbsolutePath()));
		command.addAll(args);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		SampleAppProcess app = new SampleAppProcess(name, port, dataDir, log, process);
		app.awaitReady();
		return app;
	}

	/**
	 * The command line that runs the application up to its arguments: the JVM options
	 * every run uses, the AOT-generated code when the jar under test is the AOT-processed
	 * one, then {@code jvmOptions}.
	 */
	static List<String> command(Path java, List<String> jvmOptions, Path jar) {
		List<String> command = new ArrayList<>(List.of(java.toString(), "-XX:TieredStopAtLevel=1", "-Xmx256m"));
		if (aot()) {
			command.add("-Dspring.aot.enabled=true");
		}
		command.addAll(jvmOptions);
		command.addAll(List.of("-jar", jar.toString()));
		return command;
	}

	/** The launcher of the JVM running the tests (the build's JDK). */
	static Path currentJava() {
		return Paths.get(System.getProperty("java.home"), "bin", "java");
	}

	/** The packaged jar under test ({@code sample.jar}, set by failsafe). */
	static Path jar() {
		String jar = System.getProperty("sample.jar");
		assertThat(jar).as("system property sample.jar (set by failsafe)").isNotNull();
		assertThat(Paths.get(jar)).as("the packaged sample application").isRegularFile();
		return Paths.get(jar).toAbsolutePath();
	}

	/**
	 * Whether the jar under test is the AOT-processed one ({@code sample.aot}, set by
	 * failsafe's second execution): then it is started with
	 * {@code -Dspring.aot.enabled=true}.
	 */
	static boolean aot() {
		return Boolean.getBoolean("sample.aot");
	}

	/**
	 * The variant under test, {@code aot} or {@code plain}: in log names and
	 * measurements.
	 */
	static String variant() {
		return aot() ? "aot" : "plain";
	}

	/**
	 * A log file under {@code target/e2e}, named after the run and the variant (the two
	 * failsafe executions share the directory).
	 */
	static Path logFile(String name) throws IOException {
		Path logDir = Paths.get("target", "e2e");
		Files.createDirectories(logDir);
		return logDir.resolve(name + (aot() ? "-aot" : "") + ".log").toAbsolutePath();
	}

	private void awaitReady() {
		try {
			await("readiness of " + this.name + " (log: " + this.log + ")").atMost(STARTUP_TIMEOUT)
				.pollInterval(Duration.ofMillis(500))
				.until(() -> {
					if (!this.process.isAlive()) {
						throw new IllegalStateException(
								"The sample application exited with " + this.process.exitValue() + ":\n" + logTail());
					}
					try {
						HttpResponse<String> health = get("/actuator/health");
						return health.statusCode() == 200 && health.body().contains("\"UP\"");
					}
					catch (IOException ex) {
						return false;
					}
				});
		}
		catch (RuntimeException ex) {
			this.process.destroyForcibly();
			throw ex;
		}
	}

	URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	HttpResponse<String> post(String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Sends SIGTERM ({@link Process#destroy()} on Linux) and waits for the process to
	 * exit.
	 * @return the exit code and how long the process took to exit
	 */
	Stopped stop() throws InterruptedException {
		long start = System.nanoTime();
		this.process.destroy();
		boolean exited = this.process.waitFor(120, TimeUnit.SECONDS);
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(exited).as("the sample application exited within 120 s of SIGTERM; log:\n%s", logTail()).isTrue();
		return new Stopped(this.process.exitValue(), millis);
	}

	String logText() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String logTail() {
		String text = logText();
		return text.substring(Math.max(0, text.length() - 8000));
	}

	/**
	 * The shutdown summary line's numbers: disposed, async, sync, millis, failed, timed
	 * out.
	 */
	long[] summary() {
		Matcher matcher = SUMMARY.matcher(logText());
		assertThat(matcher.find()).as("the shutdown summary line in the log:\n%s", logTail()).isTrue();
		long[] numbers = new long[6];
		for (int i = 0; i < 6; i++) {
			numbers[i] = Long.parseLong(matcher.group(i + 1));
		}
		assertThat(matcher.find()).as("exactly one shutdown summary line").isFalse();
		return numbers;
	}

	/** The sample's counters from the tally line logged after the shutdown disposal. */
	Map<String, Long> tally() {
		Matcher matcher = TALLY.matcher(logText());
		assertThat(matcher.find()).as("the sample tally line in the log:\n%s", logTail()).isTrue();
		return parseCounts(matcher.group(1));
	}

	/** The registry's counts per scope (state name to count) from the tally line. */
	Map<String, Map<String, Long>> registryCounts() {
		Matcher matcher = TALLY.matcher(logText());
		assertThat(matcher.find()).isTrue();
		Map<String, Map<String, Long>> counts = new java.util.TreeMap<>();
		Matcher scope = REGISTRY.matcher(matcher.group(2));
		while (scope.find()) {
			counts.put(scope.group(1), parseCounts(scope.group(2)));
		}
		return counts;
	}

	private static Map<String, Long> parseCounts(String text) {
		Map<String, Long> counts = new java.util.LinkedHashMap<>();
		for (String pair : text.split(",\\s*")) {
			String[] keyValue = pair.split("=");
			counts.put(keyValue[0].trim(), Long.parseLong(keyValue[1].trim()));
		}
		return counts;
	}

	/** Opens the audit database with plain JDBC; only once the process is gone. */
	Connection openAuditDatabase() throws SQLException {
		assertThat(this.process.isAlive()).isFalse();
		return DriverManager.getConnection("jdbc:h2:file:" + this.dataDir.toAbsolutePath().resolve("audit"), "sa", "");
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
	}

	record Stopped(int exitCode, long millis) {
	}

}
