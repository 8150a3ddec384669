package dev.disposables.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The fixed cost of the starter for an application whose disposals are all fast: the
 * {@link OrdinaryApplication} started in a fresh JVM with stock Spring and with the
 * starter, alternating, called once over HTTP, then sent SIGTERM; what is timed is
 * SIGTERM to exit, as an operator (or Kubernetes) sees it. A fresh JVM each time, because
 * a real shutdown runs its code once, cold: a warmed-up in-process close would hide what
 * class loading and thread starts cost.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.disposables.benchmarks.OrdinaryShutdownBenchmark \
 *     [--repetitions=15] [--smoke]
 * </pre>
 */
public final class OrdinaryShutdownBenchmark {

	private OrdinaryShutdownBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		run(Options.of(new Args(args)), System.out);
	}

	/**
	 * Runs both variants and prints their SIGTERM-to-exit times.
	 * @param options what to run
	 * @param out where to print
	 * @return the result
	 * @throws Exception if a child JVM fails
	 */
	static Result run(Options options, PrintStream out) throws Exception {
		out.printf("Ordinary application: SIGTERM to exit, %d fresh JVMs per variant, Java %s, %d CPUs%n",
				options.repetitions(), Runtime.version(), Runtime.getRuntime().availableProcessors());
		double[] stock = new double[options.repetitions()];
		double[] starter = new double[options.repetitions()];
		for (int rep = 0; rep < options.repetitions(); rep++) {
			// Alternate which goes first, so that drift on a shared machine does not
			// favour
			// one side.
			boolean starterFirst = rep % 2 == 1;
			double first = sigtermToExitMillis(starterFirst);
			double second = sigtermToExitMillis(!starterFirst);
			stock[rep] = starterFirst ? second : first;
			starter[rep] = starterFirst ? first : second;
		}
		Result result = new Result(new Stats(stock), new Stats(starter));
		out.printf(
				"stock %6.1f ms [%.1f-%.1f]  starter %6.1f ms [%.1f-%.1f]  starter - stock %+.1f ms  ratio %.2fx  "
						+ "target (stock + max(5 ms, 5%%)): %s%n",
				result.stock().median(), result.stock().min(), result.stock().max(), result.starter().median(),
				result.starter().min(), result.starter().max(), result.differenceMillis(), result.ratio(),
				result.withinTarget() ? "met" : "not met");
		return result;
	}

	/**
	 * Starts the application, calls it once, sends SIGTERM and times until the JVM has
	 * exited.
	 * @param starter whether the starter is on
	 * @return the time from SIGTERM to exit, in milliseconds
	 * @throws IOException if the child cannot be started or read
	 * @throws InterruptedException if interrupted while waiting for the child
	 */
	private static double sigtermToExitMillis(boolean starter) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
		command.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"),
				OrdinaryApplication.class.getName(), "--disposables.enabled=" + starter));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		// Read on a thread of its own: destroy() closes the streams, and the child must
		// never block on a full pipe.
		List<String> output = Collections.synchronizedList(new ArrayList<>());
		CompletableFuture<String> port = new CompletableFuture<>();
		Thread reader = new Thread(() -> readOutput(process, output, port), "ordinary-application-output");
		reader.setDaemon(true);
		reader.start();
		try {
			call(Integer.parseInt(port.get(120, TimeUnit.SECONDS)));
		}
		catch (ExecutionException | TimeoutException ex) {
			process.destroyForcibly();
			throw failed(process, starter, output);
		}
		long start = System.nanoTime();
		process.destroy(); // SIGTERM: Spring Boot's shutdown hook closes the context
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("The application did not exit within 60 s of SIGTERM");
		}
		double millis = (System.nanoTime() - start) / 1e6;
		// 143: ended by SIGTERM after its shutdown hooks ran; anything else is a failure.
		if (process.exitValue() != 143 && process.exitValue() != 0) {
			throw failed(process, starter, output);
		}
		return millis;
	}

	private static void readOutput(Process process, List<String> output, CompletableFuture<String> port) {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				if (line.startsWith(OrdinaryApplication.READY)) {
					port.complete(line.substring(OrdinaryApplication.READY.length()).trim());
				}
				else {
					output.add(line);
				}
			}
		}
		catch (IOException ex) {
			// closed by destroy(): the child is ending
		}
		port.completeExceptionally(new IllegalStateException("The application ended before it was ready"));
	}

	private static void call(int port) throws IOException, InterruptedException {
		HttpClient client = HttpClient.newHttpClient();
		HttpResponse<String> response = client.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/")).build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200 || !"hello".equals(response.body())) {
			throw new IllegalStateException("Unexpected answer " + response.statusCode() + ": " + response.body());
		}
	}

	private static IllegalStateException failed(Process process, boolean starter, List<String> output) {
		return new IllegalStateException("The ordinary application (starter " + starter + ") failed, exit "
				+ (process.isAlive() ? "none" : process.exitValue()) + ":\n" + String.join("\n", output));
	}

	/**
	 * What to run.
	 *
	 * @param repetitions fresh JVMs per variant
	 */
	record Options(int repetitions) {

		static Options of(Args args) {
			return new Options(args.flag("smoke") ? 1 : args.integer("repetitions", 15));
		}

	}

	/**
	 * SIGTERM-to-exit times of both variants.
	 *
	 * @param stock with stock Spring
	 * @param starter with the starter
	 */
	record Result(Stats stock, Stats starter) {

		double differenceMillis() {
			return this.starter.median() - this.stock.median();
		}

		double ratio() {
			return this.starter.median() / this.stock.median();
		}

		/**
		 * The target: no slower than stock within 5 ms or 5 %, whichever is
		 * larger.
		 * @return whether the medians meet it
		 */
		boolean withinTarget() {
			return differenceMillis() <= Math.max(5, 0.05 * this.stock.median());
		}

	}

}
