package dev.disposables.benchmarks;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code --name=value} command-line options of the benchmark mains, plus the bare flag
 * {@code --smoke}.
 */
final class Args {

	private final Map<String, String> values = new HashMap<>();

	Args(String[] args) {
		for (String arg : args) {
			if (!arg.startsWith("--")) {
				throw new IllegalArgumentException("Expected --name=value, got " + arg);
			}
			int equals = arg.indexOf('=');
			if (equals < 0) {
				this.values.put(arg.substring(2), "true");
			}
			else {
				this.values.put(arg.substring(2, equals), arg.substring(equals + 1));
			}
		}
	}

	boolean flag(String name) {
		return Boolean.parseBoolean(this.values.getOrDefault(name, "false"));
	}

	int integer(String name, int defaultValue) {
		String value = this.values.get(name);
		return (value != null) ? Integer.parseInt(value) : defaultValue;
	}

	String string(String name, String defaultValue) {
		return this.values.getOrDefault(name, defaultValue);
	}

}
