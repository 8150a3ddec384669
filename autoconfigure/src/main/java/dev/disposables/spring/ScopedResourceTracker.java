package dev.disposables.spring;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;

/**
 * Decides who owns a newly created disposable instance.
 *
 * <ul>
 * <li>A prototype created while another bean is being created (injected into it, or
 * resolved through an {@code ObjectProvider} during its creation) is owned by that bean:
 * it is disposed right after it, whatever that bean's scope. A bean that owns prototypes
 * but is not disposable itself gets an anchor that ends with it.</li>
 * <li>Otherwise a prototype created while a {@link DisposalScope} is current is owned by
 * that scope.</li>
 * <li>Otherwise it is owned by the application, tracked as
 * {@code disposables.prototypes.tracking} says.</li>
 * <li>A bean of a scope with a container ({@code disposal}, {@code request} when the
 * request filter is active) is disposed by that container when the scope instance ends;
 * other scoped beans and singletons are kept until Spring destroys them or the shutdown
 * disposes them.</li>
 * </ul>
 *
 * <p>
 * <strong>Internal</strong>: created by the auto-configuration, public only so that it
 * can be; not part of the public API (see "Public API" in docs/core-api.md), it may
 * change without notice.
 */
public class ScopedResourceTracker {

	private static final Log logger = LogFactory.getLog(ScopedResourceTracker.class);

	private final DisposableRegistry registry;

	private final Map<String, Supplier<@Nullable OwnedResources>> containers = new ConcurrentHashMap<>();

	private final CreationFrames.PendingHandler unclaimed = this::ownedByApplication;

	/**
	 * Create a tracker.
	 * @param registry the registry the instances are registered with
	 */
	public ScopedResourceTracker(DisposableRegistry registry) {
		this.registry = registry;
		this.containers.put(DisposalScoped.SCOPE_NAME, () -> {
			DefaultDisposalScope scope = CurrentDisposalScope.get(registry);
			return (scope != null) ? scope.resources() : null;
		});
	}

	/**
	 * The registry instances are registered with.
	 * @return the registry
	 */
	public DisposableRegistry registry() {
		return this.registry;
	}

	/**
	 * Registers where the instances of a scope are collected while one scope instance is
	 * active (the current request, for example), so that the container disposes them when
	 * that instance ends.
	 * @param scope the scope name
	 * @param container supplies the container of the active scope instance, or
	 * {@code null} if none is active
	 */
	void registerContainer(String scope, Supplier<@Nullable OwnedResources> container) {
		this.containers.put(scope, container);
	}

	/**
	 * Whether instances of a scope are registered when created; those that are not are
	 * disposed directly when Spring destroys them.
	 * @param scope the scope name
	 * @param instance the instance, for sampling
	 * @return whether it is registered
	 */
	boolean tracks(String scope, Object instance) {
		if (!ConfigurableBeanFactory.SCOPE_PROTOTYPE.equals(scope)) {
			return true;
		}
		DisposalSettings settings = this.registry.settings();
		return settings.prototypeTracking() != PrototypeTracking.OFF
				&& (settings.prototypeTracking() != PrototypeTracking.WEAK || settings.samplesPrototype(instance));
	}

	/**
	 * A bean of a managed definition has been initialized.
	 * @param bean the bean
	 * @param beanName its name
	 * @param scope its scope
	 * @param plan how to dispose it, or {@code null} if it is not disposable
	 * @param own the creation frame of the bean, holding the prototypes created for it
	 * @param enclosing the creation frame of the bean being created around it
	 */
	void onInitialized(Object bean, String beanName, String scope, @Nullable DisposalPlan plan,
			CreationFrames.@Nullable Frame own, CreationFrames.@Nullable Frame enclosing) {
		List<ManagedResource> owned = (own != null) ? own.takePending() : List.of();
		if (plan == null && owned.isEmpty()) {
			return;
		}
		ManagedResource resource = (plan != null) ? register(bean, beanName, scope, plan, enclosing) : null;
		if (owned.isEmpty()) {
			return;
		}
		if (resource == null) {
			resource = registerAnchor(bean, beanName, scope, enclosing);
		}
		for (ManagedResource child : owned) {
			this.registry.assignOwner(child, resource);
		}
	}

	private @Nullable ManagedResource register(Object bean, String beanName, String scope, DisposalPlan plan,
			CreationFrames.@Nullable Frame enclosing) {
		if (ConfigurableBeanFactory.SCOPE_PROTOTYPE.equals(scope)) {
			if (enclosing == null && CurrentDisposalScope.get(this.registry) == null
					&& (!tracks(scope, bean) || ScopedProxyUtils.isScopedTarget(beanName))) {
				// Spring's behaviour, as configured (tracking off, or not in the sample),
				// and for the target a prototype scoped proxy creates for one call and
				// drops: nobody can hold it, so nobody can dispose it, and it is not a
				// leak of the application's.
				return null;
			}
			// Strong until its owner is known: the owner decides whether it stays
			// reachable.
			ManagedResource resource = this.registry.register(bean, beanName, scope, plan, true, null);
			if (enclosing != null) {
				enclosing.addPending(resource, this.unclaimed);
			}
			else {
				ownedByApplication(List.of(resource));
			}
			return resource;
		}
		ManagedResource resource = this.registry.register(bean, beanName, scope, plan, true, null);
		addToContainer(resource);
		return resource;
	}

	private ManagedResource registerAnchor(Object bean, String beanName, String scope,
			CreationFrames.@Nullable Frame enclosing) {
		if (ConfigurableBeanFactory.SCOPE_PROTOTYPE.equals(scope)) {
			ManagedResource anchor = this.registry.registerAnchor(bean, beanName, scope, true);
			if (enclosing != null) {
				enclosing.addPending(anchor, this.unclaimed);
			}
			else {
				DefaultDisposalScope current = CurrentDisposalScope.get(this.registry);
				if (current == null || !current.adopt(anchor)) {
					// Ends when the bean is garbage-collected (or at shutdown): never
					// kept reachable for this.
					anchor.weaken();
				}
			}
			return anchor;
		}
		ManagedResource anchor = this.registry.registerAnchor(bean, beanName, scope, true);
		addToContainer(anchor);
		return anchor;
	}

	private void addToContainer(ManagedResource resource) {
		Supplier<@Nullable OwnedResources> lookup = this.containers.get(resource.scope());
		OwnedResources container = (lookup != null) ? lookup.get() : null;
		if (container != null && container.add(resource)) {
			resource.setScopeManaged(true);
			return;
		}
		// Otherwise Spring's destruction callback (or the shutdown) disposes it. A scoped
		// bean is not kept reachable for that: a scope that keeps the destruction
		// callback keeps the bean with it, and one that drops it (SimpleThreadScope and
		// many custom scopes) lets the bean be collected, as with stock Spring, and the
		// starter reports it as a leak.
		if (!ConfigurableBeanFactory.SCOPE_SINGLETON.equals(resource.scope())
				&& this.registry.settings().prototypeTracking() != PrototypeTracking.STRONG) {
			resource.weaken();
		}
	}

	/**
	 * Prototypes nobody else owns: the current scope, else the application.
	 * @param resources the resources or anchors of prototypes no bean owns
	 */
	private void ownedByApplication(List<ManagedResource> resources) {
		DefaultDisposalScope scope = CurrentDisposalScope.get(this.registry);
		PrototypeTracking tracking = this.registry.settings().prototypeTracking();
		for (ManagedResource resource : resources) {
			if (scope != null) {
				if (!scope.adopt(resource)) {
					// Created by work that goes on after its scope was disposed: nothing
					// will own it later.
					this.registry.dispose(resource, true);
				}
			}
			else if (resource.kind() == ResourceKind.ANCHOR) {
				resource.weaken();
			}
			else if (tracking != PrototypeTracking.STRONG) {
				resource.weaken();
			}
		}
	}

	/**
	 * Spring destroys a managed bean (failed refresh, {@code destroySingleton},
	 * {@code destroyBean}, the end of a scope). A bean whose scope container disposes it
	 * is left to the container; request and session beans are disposed without holding
	 * the calling thread; others are disposed and waited for, as Spring would.
	 * @param resource the bean's resource
	 * @param springCallsDestroy whether Spring calls {@code DisposableBean.destroy()}
	 * itself afterwards
	 */
	void onContainerDestruction(ManagedResource resource, boolean springCallsDestroy) {
		if (resource.isScopeManaged()) {
			return;
		}
		DisposalPlan plan = springCallsDestroy ? resource.plan().withoutDisposableBean() : resource.plan();
		String scope = resource.scope();
		if ("request".equals(scope) || "session".equals(scope)) {
			this.registry.dispose(resource, true, plan);
			return;
		}
		this.registry.disposeAndWait(resource, plan);
	}

	/**
	 * Spring destroys an instance the starter took over but does not track: dispose it
	 * the same way, untracked.
	 * @param bean the instance
	 * @param beanName its name, for the log
	 * @param plan how to dispose it
	 */
	void disposeUntracked(Object bean, String beanName, DisposalPlan plan) {
		List<Runnable> cancellers = new CopyOnWriteArrayList<>();
		CompletableFuture<Void> done = plan
			.dispose(bean, Runnable::run, cancellers::add, this.registry.settings().perResourceTimeout())
			.toCompletableFuture();
		long timeoutMillis = this.registry.settings().perResourceTimeout().toMillis();
		try {
			done.get(timeoutMillis, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			logger.warn("Disposal of bean '" + beanName + "' (" + bean.getClass().getName() + ") failed",
					FailureCollector.unwrap(ex));
		}
		catch (TimeoutException ex) {
			logger.warn("Disposal of bean '" + beanName + "' (" + bean.getClass().getName() + ") did not finish within "
					+ timeoutMillis + " ms and was abandoned");
			// As for a tracked resource: subscriptions cancelled, an adapter's forceful
			// close run.
			for (Runnable canceller : cancellers) {
				try {
					canceller.run();
				}
				catch (RuntimeException cancelFailure) {
					logger.debug("Cancelling an abandoned disposal failed", cancelFailure);
				}
			}
		}
	}

}
