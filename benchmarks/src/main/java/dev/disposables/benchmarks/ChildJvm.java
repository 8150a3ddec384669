package dev.disposables.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the heap benchmarks share: each measurement runs in a fresh JVM with a fixed heap,
 * so that nothing measured before distorts the next figure. The child prints its result
 * as one line, a prefix and then fields separated by spaces, that the parent reads back.
 */
final class ChildJvm {

	private ChildJvm() {
	}

	/**
	 * Runs {@code main} in a child JVM on this class path and returns the fields of the
	 * line it printed with {@code prefix}.
	 * @param main the class whose {@code main} measures
	 * @param jvmOptions the child's JVM options (heap size)
	 * @param args the child's arguments
	 * @param prefix what starts the child's result line
	 * @param echo which other lines of the child's output to print here
	 * @return the fields of the result line
	 * @throws IOException if the child cannot be started or read
	 * @throws InterruptedException if interrupted while waiting for the child
	 */
	static String[] run(Class<?> main, List<String> jvmOptions, List<String> args, String prefix,
			Predicate<String> echo) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
		command.addAll(jvmOptions);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
		command.addAll(args);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String[] fields = null;
		List<String> output = new ArrayList<>();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				output.add(line);
				if (line.startsWith(prefix)) {
					fields = line.substring(prefix.length()).split(" ");
				}
				else if (echo.test(line)) {
					System.out.println(line);
				}
			}
		}
		int exit = process.waitFor();
		if (exit != 0 || fields == null) {
			throw new IllegalStateException(
					"Child JVM " + args + " failed (exit " + exit + "):\n" + String.join("\n", output));
		}
		return fields;
	}

	/**
	 * Prints the child's result line for {@link #run}.
	 * @param prefix what starts the line
	 * @param fields the fields, none containing a space
	 */
	static void report(String prefix, Object... fields) {
		StringBuilder line = new StringBuilder(prefix);
		for (int i = 0; i < fields.length; i++) {
			line.append((i > 0) ? " " : "").append(fields[i]);
		}
		System.out.println(line);
	}

	/**
	 * The used heap after garbage collection.
	 * @return the fewest used bytes seen after several collections
	 * @throws InterruptedException if interrupted between collections
	 */
	static long usedHeapAfterGc() throws InterruptedException {
		long used = Long.MAX_VALUE;
		// Several collections: reference processing and finalization can free more on a
		// second pass.
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(50);
			used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
		}
		return used;
	}

}
