package dev.disposables.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Starts the benchmark applications the way a user's application starts —
 * {@code SpringApplication} with auto-configuration — so that the numbers include
 * everything the product does, not a hand-wired subset.
 */
final class Apps {

	private Apps() {
	}

	/**
	 * Properties every benchmark application shares: quiet (logging on the measured paths
	 * would be measured too) and no shutdown hook (each benchmark closes its contexts
	 * itself and times that).
	 * @return a new modifiable map of the properties
	 */
	static Map<String, Object> quiet() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("logging.level.root", "WARN");
		// The leak reports of deliberately dropped prototypes are expected here; one line
		// each would be noise.
		properties.put("logging.level.dev.disposables", "ERROR");
		properties.put("spring.main.log-startup-info", "false");
		return properties;
	}

	/**
	 * Starts a non-web application.
	 * @param starter whether the starter is on; off means stock Spring
	 * ({@code disposables.enabled=false})
	 * @param properties more properties
	 * @param beans registers the benchmark's beans before the refresh
	 * @return the running context
	 */
	static ConfigurableApplicationContext start(boolean starter, Map<String, Object> properties,
			Consumer<GenericApplicationContext> beans) {
		Map<String, Object> all = quiet();
		all.put("disposables.enabled", String.valueOf(starter));
		all.putAll(properties);
		return new SpringApplicationBuilder(BenchmarkApplication.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.registerShutdownHook(false)
			.properties(all)
			.initializers((context) -> beans.accept((GenericApplicationContext) context))
			.run();
	}

}
