package dev.disposables;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code docs/architecture.md} true to the code: every class it names in backticks
 * exists (in the project or, for the platform's and Spring's types, on the class path),
 * and every {@code Type.method} it names is a method of that type.
 */
class ArchitectureDocumentationTests {

	private static final Pattern TYPE = Pattern.compile("`@?([A-Z][A-Za-z0-9]*)(?:\\.([a-z][A-Za-z0-9]*))?[`(]");

	/** Where the platform's and Spring's types the document names live. */
	private static final List<String> KNOWN_PACKAGES = List.of("java.lang", "java.lang.ref", "java.util",
			"java.util.concurrent", "java.util.concurrent.atomic", "org.reactivestreams",
			"org.springframework.beans.factory", "org.springframework.beans.factory.config",
			"org.springframework.beans.factory.support", "org.springframework.context",
			"org.springframework.context.event", "org.springframework.context.annotation",
			"org.springframework.core.metrics", "org.springframework.web.context.request.async",
			"org.springframework.boot.autoconfigure", "org.springframework.beans.factory.annotation",
			"jakarta.annotation", "io.micrometer.core.instrument", "io.micrometer.core.instrument.binder",
			"io.micrometer.context", "reactor.util.context", "org.springframework.web.reactive.config");

	@Test
	void everyNamedTypeAndMethodExists() throws IOException {
		Path root = Path.of("..").toAbsolutePath().normalize();
		String document = Files.readString(root.resolve("docs/architecture.md"));
		Map<String, Path> sources = projectSources(root);
		List<String> missing = new ArrayList<>();
		Set<String> checked = new LinkedHashSet<>();
		Matcher matcher = TYPE.matcher(document);
		while (matcher.find()) {
			String type = matcher.group(1);
			String method = matcher.group(2);
			if (type.equals(type.toUpperCase(Locale.ROOT)) || !checked.add(type + "." + method)) {
				continue; // a constant (ASYNC, SYNC), or seen already
			}
			Path source = sources.get(type);
			if (source != null) {
				if (method != null && !Files.readString(source).contains(" " + method + "(")) {
					missing.add(type + "." + method + " (no such method in " + root.relativize(source) + ")");
				}
			}
			else if (!isOnClassPath(type, method)) {
				missing.add(type + ((method != null) ? "." + method : ""));
			}
		}
		assertThat(missing).as("names in docs/architecture.md that do not exist").isEmpty();
		assertThat(checked).as("names checked").hasSizeGreaterThan(30);
	}

	private static Map<String, Path> projectSources(Path root) throws IOException {
		try (Stream<Path> files = Files.walk(root)) {
			return files.filter((path) -> path.toString().endsWith(".java"))
				.filter((path) -> path.toString().contains("/src/main/java/"))
				.collect(Collectors.toMap((path) -> path.getFileName().toString().replace(".java", ""), (path) -> path,
						(first, second) -> first));
		}
	}

	private static boolean isOnClassPath(String type, String method) {
		for (String candidate : KNOWN_PACKAGES) {
			try {
				Class<?> found = Class.forName(candidate + "." + type);
				return method == null || Stream.of(found.getMethods()).anyMatch((m) -> m.getName().equals(method));
			}
			catch (ClassNotFoundException ex) {
				// try the next package
			}
		}
		return false;
	}

}
