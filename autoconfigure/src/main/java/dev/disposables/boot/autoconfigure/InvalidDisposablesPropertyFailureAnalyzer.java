package dev.disposables.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;

/**
 * Reports an {@link InvalidDisposablesPropertyException}: which property, which value, where it was set, and what
 * the property accepts.
 */
class InvalidDisposablesPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidDisposablesPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidDisposablesPropertyException cause) {
		Origin origin = cause.getOrigin();
		String description = "Invalid value '" + cause.getValue() + "' for configuration property '"
				+ cause.getProperty() + "'" + ((origin != null) ? " (originating from '" + origin + "')" : "") + ".";
		String action = "Update " + cause.getProperty() + " in your application's configuration. Accepted values: "
				+ cause.getAccepted() + ".";
		return new FailureAnalysis(description, action, cause);
	}

}
