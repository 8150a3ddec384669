package dev.disposables.test;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Runs leak detection at the {@code paranoid} level in the application context of a test
 * class annotated with {@link DisposablesLeakCheck @DisposablesLeakCheck}, so that a
 * failure can say where each resource was allocated. Registered through
 * {@code META-INF/spring.factories}, as Spring Boot registers its own test customizers.
 *
 * <p>
 * The level is a default, not an override: its property source ranks below the test's own
 * properties ({@code @SpringBootTest(properties = ...)}, {@code @TestPropertySource},
 * {@code @DynamicPropertySource}), system properties and environment variables, and above
 * the application's configuration files (which describe production, where
 * {@code paranoid} would be too costly).
 */
final class DisposablesLeakCheckContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		DisposablesLeakCheck annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				DisposablesLeakCheck.class);
		return (annotation != null && annotation.enabled()) ? new ParanoidLeakDetection() : null;
	}

	/**
	 * Adds the level. Equal to every other instance ({@link Stateless}), so that
	 * annotated test classes with the same configuration still share one cached context.
	 */
	static final class ParanoidLeakDetection extends Stateless implements ContextCustomizer {

		static final String PROPERTY_SOURCE_NAME = "disposablesLeakCheck";

		static final String LEVEL_PROPERTY = "disposables.leak-detection.level";

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
			MutablePropertySources sources = context.getEnvironment().getPropertySources();
			MapPropertySource paranoid = new MapPropertySource(PROPERTY_SOURCE_NAME,
					Map.of(LEVEL_PROPERTY, "paranoid"));
			if (sources.contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
				sources.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, paranoid);
			}
			else if (sources.contains(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME)) {
				sources.addAfter(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, paranoid);
			}
			else {
				sources.addLast(paranoid);
			}
		}

	}

}
