package dev.disposables.boot.actuate;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

/**
 * A request parameter of the {@code disposables} endpoint with a value it does not
 * accept: names the parameter, the value and what is accepted, so that the answer (a 400
 * over HTTP, an exception over JMX) says what to change.
 */
final class InvalidParameterException extends InvalidEndpointRequestException {

	private final String parameter;

	private final @Nullable String value;

	private final String accepted;

	/**
	 * Create the exception.
	 * @param parameter the parameter's name
	 * @param value the value given
	 * @param accepted what the parameter accepts, for a person to read
	 */
	InvalidParameterException(String parameter, @Nullable String value, String accepted) {
		super(parameter + " must be " + accepted + ", was '" + value + "'",
				"Invalid " + parameter + " '" + value + "': must be " + accepted);
		this.parameter = parameter;
		this.value = value;
		this.accepted = accepted;
	}

	/**
	 * The body of the 400 answered over HTTP.
	 * @return the descriptor of the invalid parameter
	 */
	InvalidParameterDescriptor toDescriptor() {
		return new InvalidParameterDescriptor(400, "Bad Request", this.parameter, this.value, this.accepted,
				getMessage());
	}

}
