package dev.disposables.boot.autoconfigure;

import java.util.HashSet;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the {@code disposables} actuator endpoint
 * ({@code management.endpoint.disposables.*}).
 */
@ConfigurationProperties("management.endpoint.disposables")
public class DisposablesEndpointProperties {

	/**
	 * When to show allocation stack traces of resources and leaks (recorded at the
	 * advanced and paranoid leak detection levels).
	 */
	private Show showValues = Show.NEVER;

	/**
	 * Roles used to determine whether a user is authorized to see allocation stack
	 * traces. When empty, all authenticated users are authorized.
	 */
	private final Set<String> roles = new HashSet<>();

	public Show getShowValues() {
		return this.showValues;
	}

	public void setShowValues(Show showValues) {
		this.showValues = showValues;
	}

	public Set<String> getRoles() {
		return this.roles;
	}

}
