package dev.disposables.boot.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.FileSystemResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the one property reference, {@code docs/reference.md}, true to the configuration
 * metadata the build generates (plus the hand-written additional metadata): every
 * property of the starter has a row there with its default, and no row names a property
 * that does not exist. The sample's {@code application.yml} names only existing
 * properties.
 */
class ConfigurationPropertiesReferenceTests {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final Path REFERENCE = ROOT.resolve("docs/reference.md");

	private static final Path SAMPLE_CONFIGURATION = ROOT.resolve("sample-app/src/main/resources/application.yml");

	private static final List<Path> METADATA = List.of(
			Path.of("target/classes/META-INF/spring-configuration-metadata.json"),
			Path.of("src/main/resources/META-INF/additional-spring-configuration-metadata.json"));

	/** A table row naming a property of the starter: its name and default cells. */
	private static final Pattern ROW = Pattern
		.compile("(?m)^\\|\\s*`((?:disposables|management\\.endpoint\\.disposables)\\.[^`]+)`\\s*\\|([^|]*)\\|");

	@Test
	void everyPropertyHasARowWithItsDefault() throws IOException {
		Map<String, String> documented = documentedDefaults();
		List<String> problems = new ArrayList<>();
		metadataDefaults().forEach((name, expected) -> {
			String actual = documented.get(name);
			if (actual == null) {
				problems.add("no row for " + name + ": add | `" + name + "` | " + expected + " | <accepted values and "
						+ "meaning> | to the table in docs/reference.md");
			}
			else if (!actual.equals(expected)) {
				problems.add("the row for " + name + " gives the default " + actual + ", the metadata " + expected);
			}
		});
		assertThat(problems).as("docs/reference.md against the configuration metadata").isEmpty();
	}

	@Test
	void everyRowNamesAnExistingProperty() throws IOException {
		Map<String, String> metadata = metadataDefaults();
		List<String> unknown = new ArrayList<>(documentedDefaults().keySet());
		unknown.removeAll(metadata.keySet());
		assertThat(unknown).as("rows of docs/reference.md naming no property in the configuration metadata").isEmpty();
		assertThat(metadata).as("properties read from the metadata").containsKey("disposables.shutdown.timeout");
	}

	@Test
	void theSampleConfigurationNamesOnlyExistingProperties() throws IOException {
		YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
		yaml.setResources(new FileSystemResource(SAMPLE_CONFIGURATION));
		Properties sample = yaml.getObject();
		assertThat(sample).isNotNull();
		Map<String, String> metadata = metadataDefaults();
		// keySet, not stringPropertyNames: YAML numbers and booleans are not String
		// values
		List<String> unknown = sample.keySet()
			.stream()
			.map(String::valueOf)
			.map((name) -> name.replaceAll("\\[\\d+]$", ""))
			.filter((name) -> name.startsWith("disposables.") || name.startsWith("management.endpoint.disposables."))
			.filter((name) -> !metadata.containsKey(name))
			.sorted()
			.toList();
		assertThat(unknown).as("properties in %s that do not exist", ROOT.relativize(SAMPLE_CONFIGURATION)).isEmpty();
	}

	/**
	 * The starter's properties with their defaults as the reference writes them.
	 * @return default cell text by property name
	 * @throws IOException if a metadata file cannot be read
	 */
	private static Map<String, String> metadataDefaults() throws IOException {
		Map<String, String> defaults = new LinkedHashMap<>();
		for (Path file : METADATA) {
			assertThat(file).as("configuration metadata (built by the configuration processor)").exists();
			// the additional metadata may hold only hints: no properties is an empty list
			List<Map<String, Object>> properties = JsonPath
				.using(Configuration.defaultConfiguration().addOptions(Option.SUPPRESS_EXCEPTIONS))
				.parse(Files.readString(file))
				.read("$.properties[*]");
			for (Map<String, Object> property : properties) {
				String name = (String) property.get("name");
				if (name.startsWith("disposables.") || name.startsWith("management.endpoint.disposables.")) {
					defaults.put(name, cell(property.get("defaultValue")));
				}
			}
		}
		return defaults;
	}

	private static String cell(@Nullable Object defaultValue) {
		if (defaultValue == null || (defaultValue instanceof Collection<?> values && values.isEmpty())) {
			return "(empty)";
		}
		return "`" + defaultValue + "`";
	}

	/**
	 * The rows of the reference that name a property of the starter.
	 * @return default cell text by property name
	 * @throws IOException if the reference cannot be read
	 */
	private static Map<String, String> documentedDefaults() throws IOException {
		Map<String, String> rows = new LinkedHashMap<>();
		Matcher matcher = ROW.matcher(Files.readString(REFERENCE));
		while (matcher.find()) {
			String previous = rows.put(matcher.group(1), matcher.group(2).trim());
			assertThat(previous).as("a second row for %s in docs/reference.md", matcher.group(1)).isNull();
		}
		return rows;
	}

}
