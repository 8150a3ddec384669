package dev.disposables.spring;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * {@link DisposalScopes} of an application with the starter switched off
 * ({@code disposables.enabled=false}): scopes still open and close and dispose what they
 * own (their {@code @DisposalScoped} beans, the prototypes their {@code getBean}
 * returned, each destroyed the way Spring's {@code destroyBean} does), while every other
 * bean is left to Spring exactly as without the starter: no bean is tracked, nothing of
 * Spring's destruction is taken over. Scopes still open when the context closes are
 * disposed when this bean is destroyed, within the default shutdown timeout (the
 * starter's properties are ignored when it is off).
 *
 * <p>
 * <strong>Internal</strong>: created by the auto-configuration, public only so that it
 * can be; not part of the public API (see the guide's "Public API" section), it may
 * change without notice.
 */
public class PlainDisposalScopes extends DisposalScopes implements DisposableBean {

	private static final Log logger = LogFactory.getLog(PlainDisposalScopes.class);

	/**
	 * Create the scopes, with a registry of their own that only ever holds what they own.
	 * @param beanFactory where the scopes resolve beans
	 * @param settings the timeouts and threads of the scopes' disposals
	 */
	public PlainDisposalScopes(ConfigurableListableBeanFactory beanFactory, DisposalSettings settings) {
		super(beanFactory, new DisposableRegistry(settings));
	}

	@Override
	boolean destroysResolvedPrototypes() {
		return true;
	}

	@Override
	public void destroy() {
		CompletableFuture<Void> open = disposeForShutdown().toCompletableFuture();
		try {
			open.get(registry().settings().shutdownTimeout().toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("Disposal scopes still open at shutdown were not all disposed: " + ex);
		}
		finally {
			registry().close();
		}
	}

}
