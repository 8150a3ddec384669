package dev.disposables.spring;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A disposal did not finish in time and was abandoned. The message names the bean and its
 * type, never the instance, and the disposal thread left running if the disposer ignored
 * its interrupt.
 */
public class DisposalTimeoutException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	DisposalTimeoutException(DisposableResource resource, Duration timeout) {
		this(resource, timeout, null);
	}

	DisposalTimeoutException(DisposableResource resource, Duration timeout, @Nullable String stuckThread) {
		this(resource, "did not finish within its per-resource timeout of " + timeout.toMillis() + " ms", stuckThread);
	}

	private DisposalTimeoutException(DisposableResource resource, String reason, @Nullable String stuckThread) {
		super("Disposal of bean '" + resource.beanName() + "' (" + resource.type() + ", scope " + resource.scope()
				+ ") " + reason + " and was abandoned"
				+ ((stuckThread != null)
						? "; its thread '" + stuckThread + "' ignores interrupts and keeps running the disposer" : ""),
				null, false, false);
	}

	static DisposalTimeoutException atDeadline(DisposableResource resource, Duration deadline,
			@Nullable String stuckThread) {
		return new DisposalTimeoutException(resource,
				"did not finish before the shutdown deadline of " + deadline.toMillis() + " ms", stuckThread);
	}

}
