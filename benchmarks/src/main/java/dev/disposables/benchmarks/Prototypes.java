package dev.disposables.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application of the prototype benchmarks: one disposable prototype bean, with stock
 * Spring or with the starter at a given tracking mode and leak-detection level.
 */
final class Prototypes {

	static final String BEAN_NAME = "prototypeResource";

	private Prototypes() {
	}

	/**
	 * Starts the application.
	 * @param config {@code stock}, or
	 * {@code <tracking>-<leak level>[-s<prototype sampling interval>]} such as
	 * {@code weak-simple} or {@code weak-simple-s64}
	 * @param more more properties
	 * @return the running context
	 */
	static ConfigurableApplicationContext start(String config, Map<String, Object> more) {
		boolean starter = !"stock".equals(config);
		Map<String, Object> properties = new LinkedHashMap<>();
		if (starter) {
			String[] parts = config.split("-", 3);
			properties.put("disposables.prototypes.tracking", parts[0]);
			properties.put("disposables.leak-detection.level", parts[1]);
			if (parts.length > 2 && parts[2].startsWith("s")) {
				properties.put("disposables.prototypes.sampling-interval", parts[2].substring(1));
			}
		}
		properties.putAll(more);
		return Apps.start(starter, properties, (context) -> context.registerBean(BEAN_NAME, PrototypeResource.class,
				PrototypeResource::new, (definition) -> definition.setScope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)));
	}

}
