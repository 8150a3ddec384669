package dev.disposables.spring;

import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Lets Micrometer Context Propagation carry the current {@link DisposalScope} to the
 * threads work continues on: tasks decorated with Spring's
 * {@code ContextPropagatingTaskDecorator}, Reactor with automatic context propagation, or
 * any {@code ContextSnapshot}. Registered through {@code META-INF/services}, so that
 * {@code ContextRegistry.getInstance()} finds it without configuration.
 *
 * <pre class="code">
 * executor.setTaskDecorator(new ContextPropagatingTaskDecorator());
 * scopes.call(() -&gt; CompletableFuture.supplyAsync(task, executor).join()); // task runs in the same scope
 * </pre>
 *
 * <p>
 * <strong>Internal</strong>: created by the auto-configuration, public only so that it
 * can be; not part of the public API (see "Public API" in docs/core-api.md), it may
 * change without notice.
 */
public class DisposalScopeThreadLocalAccessor implements ThreadLocalAccessor<DisposalScope> {

	/** The key of the current scope in a context snapshot. */
	public static final String KEY = "dev.disposables.scope";

	@Override
	public Object key() {
		return KEY;
	}

	@Override
	public @Nullable DisposalScope getValue() {
		return CurrentDisposalScope.get();
	}

	@Override
	public void setValue(DisposalScope value) {
		if (value instanceof DefaultDisposalScope scope) {
			CurrentDisposalScope.set(scope);
		}
	}

	@Override
	public void setValue() {
		CurrentDisposalScope.set(null);
	}

	@Override
	public void restore(DisposalScope previousValue) {
		setValue(previousValue);
	}

}
