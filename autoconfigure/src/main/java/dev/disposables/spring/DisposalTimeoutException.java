package dev.disposables.spring;

import java.time.Duration;

/**
 * A disposal did not finish in time and was abandoned. The message names the bean and its type, never the
 * instance.
 */
public class DisposalTimeoutException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	DisposalTimeoutException(DisposableResource resource, Duration timeout) {
		super("Disposal of bean '" + resource.beanName() + "' (" + resource.type() + ", scope " + resource.scope()
				+ ") did not finish within " + timeout.toMillis() + " ms and was abandoned", null, false, false);
	}

}
