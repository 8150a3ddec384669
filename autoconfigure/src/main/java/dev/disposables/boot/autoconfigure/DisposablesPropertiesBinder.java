package dev.disposables.boot.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * Binds and validates {@code disposables.*} before the registry is created. The registry
 * may be created while post-processors are still being registered, before a
 * {@code @ConfigurationProperties} bean would be bound, so binding happens here directly;
 * the values as written (text and origin) are recorded on the way, so that a rejected
 * value is reported as the user typed it. An unknown enum value already fails binding,
 * reported by Spring Boot's own analyzer, which lists the valid values.
 */
final class DisposablesPropertiesBinder {

	static final String PREFIX = "disposables";

	private DisposablesPropertiesBinder() {
	}

	static DisposablesProperties bind(Environment environment) {
		RecordingBindHandler recorder = new RecordingBindHandler();
		DisposablesProperties properties = Binder.get(environment)
			.bind(PREFIX, Bindable.of(DisposablesProperties.class), recorder)
			.orElseGet(DisposablesProperties::new);
		validate(properties, recorder);
		return properties;
	}

	private static void validate(DisposablesProperties properties, RecordingBindHandler recorder) {
		positive(recorder, "shutdown.timeout", properties.getShutdown().getTimeout());
		positive(recorder, "shutdown.per-resource-timeout", properties.getShutdown().getPerResourceTimeout());
		int maxConcurrency = properties.getShutdown().getMaxConcurrency();
		atLeastOne(recorder, "shutdown.max-concurrency", maxConcurrency);
		int readyThreads = properties.getShutdown().getReadyThreads();
		if (readyThreads < 0 || readyThreads > maxConcurrency) {
			throw recorder.invalid("shutdown.ready-threads", readyThreads,
					"an integer from 0 to " + PREFIX + ".shutdown.max-concurrency (" + maxConcurrency + ")");
		}
		notNegative(recorder, "shutdown.critical-path-threshold", properties.getShutdown().getCriticalPathThreshold());
		atLeastOne(recorder, "leak-detection.sampling-interval", properties.getLeakDetection().getSamplingInterval());
		Duration quietPeriod = properties.getAdapters().getNetty().getQuietPeriod();
		if (quietPeriod == null || quietPeriod.isNegative()) {
			throw recorder.invalid("adapters.netty.quiet-period", quietPeriod,
					"a duration of zero or more, such as 0s, 100ms or 2s");
		}
		atLeastOne(recorder, "prototypes.sampling-interval", properties.getPrototypes().getSamplingInterval());
	}

	private static void positive(RecordingBindHandler recorder, String name, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw recorder.invalid(name, value, "a positive duration, such as 500ms, 10s or 1m");
		}
	}

	private static void notNegative(RecordingBindHandler recorder, String name, @Nullable Duration value) {
		if (value == null || value.isNegative()) {
			throw recorder.invalid(name, value, "a duration of zero or more, such as 0s, 500ms or 2s");
		}
	}

	private static void atLeastOne(RecordingBindHandler recorder, String name, int value) {
		if (value < 1) {
			throw recorder.invalid(name, value, "an integer of at least 1");
		}
	}

	/** Remembers each bound property as configured. */
	private static final class RecordingBindHandler extends AbstractBindHandler {

		private final Map<ConfigurationPropertyName, ConfigurationProperty> bound = new HashMap<>();

		@Override
		public @Nullable Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
				Object result) {
			ConfigurationProperty property = context.getConfigurationProperty();
			if (property != null) {
				this.bound.put(name, property);
			}
			return result;
		}

		InvalidConfigurationPropertyValueException invalid(String relativeName, @Nullable Object boundValue,
				String accepted) {
			String fullName = PREFIX + "." + relativeName;
			ConfigurationProperty property = this.bound.get(ConfigurationPropertyName.of(fullName));
			// The value as typed ("-1s"), not as bound (PT-1S); Boot's analyzer adds
			// where it came from and the other property sources that set it.
			Object value = (property != null) ? property.getValue() : boundValue;
			return new InvalidConfigurationPropertyValueException(fullName, value, "Accepted values: " + accepted);
		}

	}

}
