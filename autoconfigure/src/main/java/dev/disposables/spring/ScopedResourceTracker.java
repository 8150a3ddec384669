package dev.disposables.spring;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;

/**
 * Decides who owns a newly created disposable instance, by its scope: singletons and scoped beans are kept until
 * they are disposed; application-owned prototypes are tracked as {@code disposables.prototypes.tracking} says.
 */
public class ScopedResourceTracker {

	private static final Log logger = LogFactory.getLog(ScopedResourceTracker.class);

	private final DisposableRegistry registry;

	/**
	 * Create a tracker.
	 * @param registry the registry the instances are registered with
	 */
	public ScopedResourceTracker(DisposableRegistry registry) {
		this.registry = registry;
	}

	/**
	 * The registry instances are registered with.
	 * @return the registry
	 */
	public DisposableRegistry registry() {
		return this.registry;
	}

	/**
	 * Whether instances of a scope are registered when created; those that are not are disposed directly when
	 * Spring destroys them.
	 */
	boolean tracks(String scope) {
		return !ConfigurableBeanFactory.SCOPE_PROTOTYPE.equals(scope)
				|| this.registry.settings().prototypeTracking() != PrototypeTracking.OFF;
	}

	void track(Object bean, String beanName, String scope, DisposalPlan plan) {
		if (ConfigurableBeanFactory.SCOPE_PROTOTYPE.equals(scope)) {
			PrototypeTracking tracking = this.registry.settings().prototypeTracking();
			if (tracking != PrototypeTracking.OFF) {
				this.registry.register(bean, beanName, scope, plan, tracking == PrototypeTracking.STRONG, null);
			}
			return;
		}
		this.registry.register(bean, beanName, scope, plan, true, null);
	}

	/** Spring destroys a managed bean (failed refresh, {@code destroySingleton}, the end of a scope). */
	void onContainerDestruction(ManagedResource resource) {
		this.registry.disposeAndWait(resource);
	}

	/** Spring destroys an instance the starter took over but does not track: dispose it the same way, untracked. */
	void disposeUntracked(Object bean, String beanName, DisposalPlan plan) {
		CompletableFuture<Void> done = plan.dispose(bean, Runnable::run).toCompletableFuture();
		long timeoutMillis = this.registry.settings().perResourceTimeout().toMillis();
		try {
			done.get(timeoutMillis, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			logger.warn("Disposal of bean '" + beanName + "' (" + bean.getClass().getName() + ") failed",
					Failures.unwrap(ex));
		}
		catch (TimeoutException ex) {
			logger.warn("Disposal of bean '" + beanName + "' (" + bean.getClass().getName() + ") did not finish within "
					+ timeoutMillis + " ms and was abandoned");
		}
	}

}
