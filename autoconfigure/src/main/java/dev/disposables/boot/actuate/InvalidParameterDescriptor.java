package dev.disposables.boot.actuate;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * The body of a 400 answered by the {@code disposables} endpoint over HTTP.
 *
 * @param status always 400
 * @param error always {@code Bad Request}
 * @param parameter the request parameter whose value is not accepted
 * @param value the value given
 * @param accepted what the parameter accepts
 * @param message one sentence saying all of the above
 * @since 0.2.0
 */
public record InvalidParameterDescriptor(int status, String error, String parameter, @Nullable String value,
		String accepted, String message) implements OperationResponseBody {
}
