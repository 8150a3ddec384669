package dev.disposables;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the documentation true to the code. Every page of {@code docs/} may name only
 * classes that exist (in the project or on the class path: the platform's, Spring's and
 * the adapted libraries' types) and, as {@code Type.method}, only methods of those
 * classes; a fully qualified {@code dev.disposables} name must be a class of the project.
 * Every relative link of the documentation and the READMEs leads to an existing file and,
 * with an anchor, to a heading of that file (GitHub's anchor rules). The other way round,
 * every class of the engine package is named in {@code docs/architecture.md}, so that the
 * contributors' map of the engine stays complete as classes are added.
 */
class ArchitectureDocumentationTests {

	private static final Pattern TYPE = Pattern.compile("`@?([A-Z][A-Za-z0-9]*)(?:\\.([a-z][A-Za-z0-9]*))?[`(]");

	private static final Pattern QUALIFIED_TYPE = Pattern.compile("`@?((?:[a-z][a-z0-9]*\\.)+)([A-Z][A-Za-z0-9]*)");

	private static final Pattern LINK = Pattern.compile("!?\\[([^\\]]*)\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

	private static final Pattern FENCED_BLOCK = Pattern.compile("(?ms)^\\s*```.*?^\\s*```[ \\t]*$");

	private static final Pattern CODE_SPAN = Pattern.compile("`[^`\\n]*`");

	private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}[ \\t]+(.+?)[ \\t#]*$");

	private static final Pattern NAMED_CLASS = Pattern.compile("@?([A-Z][A-Za-z0-9]*)(?:[.(<].*)?");

	private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");

	/**
	 * Types that examples name but that live in libraries this module does not depend on,
	 * each with the library: the check cannot load them, so it must not invent them.
	 */
	private static final Map<String, String> ELSEWHERE = Map.ofEntries(
			Map.entry("Producer", "Apache Kafka's client (adapter example)"),
			Map.entry("WebMvcTest", "spring-boot-webmvc-test (test slices)"),
			Map.entry("DataJpaTest", "spring-boot-data-jpa-test (test slices)"),
			Map.entry("ClassLayout", "JOL (benchmarks)"),
			Map.entry("Uni", "SmallRye Mutiny (an async type Spring's ReactiveAdapterRegistry adapts)"),
			Map.entry("Deferred", "Kotlin coroutines (an async type Spring's ReactiveAdapterRegistry adapts)"),
			Map.entry("IServiceScope", ".NET"), Map.entry("ValueTask", ".NET"), Map.entry("SafeHandle", ".NET"),
			Map.entry("Dispose", ".NET"), Map.entry("DisposeAsync", ".NET"));

	/**
	 * Methods of JDKs newer than the baseline, by the Java version that has them: the
	 * check can look for them only when it runs on that version or a later one.
	 */
	private static final Map<String, Integer> NEWER_JDK_METHODS = Map.of("Thread.ofVirtual", 21,
			"ExecutorService.close", 19, "Executors.newVirtualThreadPerTaskExecutor", 21);

	private static Path root;

	private static Map<String, Path> sources;

	private static Map<String, List<String>> classPath;

	@BeforeAll
	static void index() throws IOException {
		root = Path.of("..").toAbsolutePath().normalize();
		sources = projectSources(root);
		classPath = classPathTypes();
	}

	@Test
	void everyNamedTypeAndMethodExists() throws IOException {
		List<String> missing = new ArrayList<>();
		Set<String> checked = new LinkedHashSet<>();
		for (Path page : pages()) {
			String text = FENCED_BLOCK.matcher(Files.readString(page)).replaceAll("");
			String name = root.relativize(page).toString();
			Matcher matcher = TYPE.matcher(text);
			while (matcher.find()) {
				String type = matcher.group(1);
				String method = matcher.group(2);
				if (type.equals(type.toUpperCase(Locale.ROOT)) || !checked.add(name + ": " + type + "." + method)) {
					continue; // a constant (ASYNC, SYNC), or seen already on this page
				}
				String problem = problem(type, method);
				if (problem != null) {
					missing.add(name + ": " + problem);
				}
			}
			Matcher qualified = QUALIFIED_TYPE.matcher(text);
			while (qualified.find()) {
				String type = qualified.group(1) + qualified.group(2);
				type = type.substring(Math.max(0, type.indexOf("dev.disposables."))); // a
																						// logger's
																						// property
				if (checked.add(name + ": " + type) && !qualifiedTypeExists(type)) {
					missing.add(name + ": " + type);
				}
			}
		}
		assertThat(missing).as("names in docs/*.md that do not exist").isEmpty();
		assertThat(checked).as("names checked").hasSizeGreaterThan(200);
	}

	/**
	 * Every top-level class of the engine package ({@code dev.disposables.spring}, not
	 * its subpackages) is named in {@code docs/architecture.md} as {@code `ClassName`}
	 * (or as {@code `ClassName.member`}), outside code blocks.
	 * @throws IOException if a file cannot be read
	 */
	@Test
	void everyEngineClassIsNamedInTheArchitecture() throws IOException {
		Path engine = root.resolve("autoconfigure/src/main/java/dev/disposables/spring");
		Path architecture = root.resolve("docs/architecture.md");
		Set<String> named = new HashSet<>();
		Matcher span = CODE_SPAN.matcher(FENCED_BLOCK.matcher(Files.readString(architecture)).replaceAll(""));
		while (span.find()) {
			Matcher name = NAMED_CLASS.matcher(span.group().substring(1, span.group().length() - 1));
			if (name.matches()) {
				named.add(name.group(1));
			}
		}
		List<String> classes;
		try (Stream<Path> files = Files.list(engine)) {
			classes = files.filter(Files::isRegularFile)
				.map((file) -> file.getFileName().toString())
				.filter((name) -> name.endsWith(".java") && !name.equals("package-info.java"))
				.map((name) -> name.substring(0, name.length() - ".java".length()))
				.sorted()
				.toList();
		}
		List<String> missing = classes.stream().filter((name) -> !named.contains(name)).toList();
		assertThat(classes).as("classes of %s", root.relativize(engine)).hasSizeGreaterThan(30);
		assertThat(missing)
			.withFailMessage(
					"%s does not name these classes of the engine package (%s): %s. Add each one, as "
							+ "`ClassName`, with a line on its role, to the section of %s where it belongs.",
					root.relativize(architecture), root.relativize(engine), missing, root.relativize(architecture))
			.isEmpty();
	}

	@Test
	void everyRelativeLinkResolves() throws IOException {
		List<Path> documents = new ArrayList<>(pages());
		try (Stream<Path> top = Files.list(root)) {
			top.filter((path) -> path.toString().endsWith(".md")).forEach(documents::add);
		}
		for (String readme : List.of("sample-app/README.md", "monitoring/README.md")) {
			if (Files.exists(root.resolve(readme))) {
				documents.add(root.resolve(readme));
			}
		}
		List<String> broken = new ArrayList<>();
		int links = 0;
		for (Path document : documents) {
			String text = CODE_SPAN.matcher(FENCED_BLOCK.matcher(Files.readString(document)).replaceAll(""))
				.replaceAll("");
			Matcher matcher = LINK.matcher(text);
			while (matcher.find()) {
				String target = matcher.group(2);
				if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
					continue; // https:, mailto:
				}
				links++;
				String problem = linkProblem(document, target);
				if (problem != null) {
					broken.add(root.relativize(document) + ": (" + target + ") " + problem);
				}
			}
		}
		assertThat(broken).as("relative links that lead nowhere").isEmpty();
		assertThat(links).as("links checked").isGreaterThan(100);
	}

	private static String linkProblem(Path document, String target) throws IOException {
		int hash = target.indexOf('#');
		String file = (hash >= 0) ? target.substring(0, hash) : target;
		String anchor = (hash >= 0) ? target.substring(hash + 1) : null;
		Path resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
		if (!Files.exists(resolved)) {
			return "no such file";
		}
		if (anchor != null && !anchors(Files.readString(resolved)).contains(anchor)) {
			return "no such heading in " + root.relativize(resolved);
		}
		return null;
	}

	/**
	 * The anchors GitHub gives a document's headings: lower case, punctuation other than
	 * '-' and '_' dropped, spaces to '-', repeated ones numbered.
	 * @param markdown the document
	 * @return its anchors
	 */
	static Set<String> anchors(String markdown) {
		Set<String> anchors = new LinkedHashSet<>();
		Map<String, Integer> seen = new HashMap<>();
		Matcher heading = HEADING.matcher(FENCED_BLOCK.matcher(markdown).replaceAll(""));
		while (heading.find()) {
			String text = LINK.matcher(heading.group(1)).replaceAll("$1");
			String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
			int count = seen.merge(slug, 1, Integer::sum);
			anchors.add((count == 1) ? slug : slug + "-" + (count - 1));
		}
		Matcher html = HTML_ANCHOR.matcher(markdown);
		while (html.find()) {
			anchors.add(html.group(1));
		}
		return anchors;
	}

	@Test
	void anchorsFollowGitHubRules() {
		assertThat(
				anchors("## 3. The core API (`dev.disposables`)\n## What the deadline guarantees, and what it cannot\n"
						+ "## A — B\n## Twice\n## Twice\n## [Linked](x.md) heading"))
			.containsExactly("3-the-core-api-devdisposables", "what-the-deadline-guarantees-and-what-it-cannot", "a--b",
					"twice", "twice-1", "linked-heading");
	}

	private static String problem(String type, String method) throws IOException {
		Path source = sources.get(type);
		if (source != null) {
			if (method != null && !Files.readString(source).contains(" " + method + "(")) {
				return type + "." + method + " (no such method in " + root.relativize(source) + ")";
			}
			return null;
		}
		if (ELSEWHERE.containsKey(type)) {
			return null;
		}
		List<String> candidates = classPath.getOrDefault(type, List.of());
		if (candidates.isEmpty()) {
			return type + " (no such class in the project or on the class path)";
		}
		if (method == null || candidates.stream().anyMatch((candidate) -> hasMethod(candidate, method))
				|| NEWER_JDK_METHODS.getOrDefault(type + "." + method, 0) > Runtime.version().feature()) {
			return null;
		}
		return type + "." + method + " (no such method in " + candidates + ")";
	}

	private static boolean hasMethod(String className, String method) {
		try {
			Class<?> type = Class.forName(className, false, ArchitectureDocumentationTests.class.getClassLoader());
			return Stream.of(type.getMethods()).anyMatch((m) -> m.getName().equals(method))
					|| Stream.of(type.getDeclaredMethods()).anyMatch((m) -> m.getName().equals(method));
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	private static boolean qualifiedTypeExists(String type) {
		if (type.startsWith("dev.disposables.")) {
			Path source = sources.get(type.substring(type.lastIndexOf('.') + 1));
			return source != null && source.toString().replace('/', '.').endsWith(type + ".java");
		}
		return classPath.getOrDefault(type.substring(type.lastIndexOf('.') + 1), List.of()).contains(type);
	}

	private static List<Path> pages() throws IOException {
		try (Stream<Path> files = Files.list(root.resolve("docs"))) {
			return files.filter((path) -> path.toString().endsWith(".md")).sorted().toList();
		}
	}

	private static Map<String, Path> projectSources(Path root) throws IOException {
		try (Stream<Path> files = Files.walk(root)) {
			return files.filter((path) -> path.toString().endsWith(".java"))
				.filter((path) -> path.toString().contains("/src/main/java/")
						|| path.toString().contains("/src/test/java/"))
				.sorted((a, b) -> Boolean.compare(a.toString().contains("/src/test/"),
						b.toString().contains("/src/test/")))
				.collect(Collectors.toMap((path) -> path.getFileName().toString().replace(".java", ""), (path) -> path,
						(first, second) -> first));
		}
	}

	/**
	 * Every top-level and nested class on the test class path and in the platform, by
	 * simple name.
	 * @return fully qualified names by simple name
	 * @throws IOException if a jar cannot be read
	 */
	private static Map<String, List<String>> classPathTypes() throws IOException {
		Map<String, List<String>> types = new HashMap<>();
		for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
			Path path = Path.of(entry);
			if (Files.isDirectory(path)) {
				try (Stream<Path> files = Files.walk(path)) {
					files.map((file) -> path.relativize(file).toString()).forEach((name) -> addType(types, name));
				}
			}
			else if (Files.isRegularFile(path)) {
				try (ZipFile jar = new ZipFile(path.toFile())) {
					jar.stream().map(ZipEntry::getName).forEach((name) -> addType(types, name));
				}
			}
		}
		try (FileSystem jrt = FileSystems.newFileSystem(URI.create("jrt:/"), Map.of());
				Stream<Path> files = Files.walk(jrt.getPath("/modules"))) {
			files.filter((file) -> file.getNameCount() > 2)
				.map((file) -> file.subpath(2, file.getNameCount()).toString())
				.forEach((name) -> addType(types, name));
		}
		return types;
	}

	private static void addType(Map<String, List<String>> types, String file) {
		if (!file.endsWith(".class") || file.contains("-") || file.startsWith("META-INF")) {
			return;
		}
		String className = file.substring(0, file.length() - ".class".length()).replace('/', '.');
		String simple = className.substring(className.lastIndexOf('.') + 1);
		int nested = simple.lastIndexOf('$');
		if (nested >= 0) {
			simple = simple.substring(nested + 1);
			if (simple.isEmpty() || Character.isDigit(simple.charAt(0))) {
				return; // anonymous
			}
		}
		types.computeIfAbsent(simple, (key) -> new ArrayList<>()).add(className);
	}

}
