package dev.disposables.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginProvider;

/**
 * A {@code disposables.*} property has a value the starter cannot run with. Thrown while the registry is created,
 * so that startup fails; {@link InvalidDisposablesPropertyFailureAnalyzer} turns it into a report naming the
 * property, the bad value and the accepted values.
 */
public class InvalidDisposablesPropertyException extends RuntimeException implements OriginProvider {

	private final String property;

	private final @Nullable Object value;

	private final String accepted;

	private final transient @Nullable Origin origin;

	/**
	 * Create a new exception.
	 * @param property the full property name, such as {@code disposables.shutdown.timeout}
	 * @param value the value as configured (the raw text when known)
	 * @param accepted a description of the accepted values
	 * @param origin where the value was configured, if known
	 */
	public InvalidDisposablesPropertyException(String property, @Nullable Object value, String accepted,
			@Nullable Origin origin) {
		super("Invalid value '" + value + "' for configuration property '" + property + "': accepted values are "
				+ accepted);
		this.property = property;
		this.value = value;
		this.accepted = accepted;
		this.origin = origin;
	}

	/**
	 * The full property name.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * The rejected value.
	 * @return the value
	 */
	public @Nullable Object getValue() {
		return this.value;
	}

	/**
	 * What the property accepts.
	 * @return a description of the accepted values
	 */
	public String getAccepted() {
		return this.accepted;
	}

	@Override
	public @Nullable Origin getOrigin() {
		return this.origin;
	}

}
