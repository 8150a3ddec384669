package dev.disposables.spring;

import java.time.Duration;

/**
 * A disposal did not finish in time and was abandoned. The message names the bean and its type, never the
 * instance.
 */
public class DisposalTimeoutException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	DisposalTimeoutException(DisposableResource resource, Duration timeout) {
		this(resource, "did not finish within its per-resource timeout of " + timeout.toMillis() + " ms");
	}

	private DisposalTimeoutException(DisposableResource resource, String reason) {
		super("Disposal of bean '" + resource.beanName() + "' (" + resource.type() + ", scope " + resource.scope()
				+ ") " + reason + " and was abandoned", null, false, false);
	}

	static DisposalTimeoutException atDeadline(DisposableResource resource, Duration deadline) {
		return new DisposalTimeoutException(resource,
				"did not finish before the shutdown deadline of " + deadline.toMillis() + " ms");
	}

}
