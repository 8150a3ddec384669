package dev.disposables.spring;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.disposables.ObjectDisposedException;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.ObjectFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.NamedBeanHolder;

/**
 * The {@link DisposalScope} handed out by {@link DisposalScopes}.
 */
final class DefaultDisposalScope implements DisposalScope {

	private final long id;

	private final @Nullable DefaultDisposalScope parent;

	private final BeanFactory beanFactory;

	private final DisposableRegistry registry;

	private final Consumer<DefaultDisposalScope> onDisposal;

	private final OwnedResources resources = new OwnedResources();

	/** One instance per {@code @DisposalScoped} bean; guarded by {@code this}. */
	private final Map<String, Object> scopedBeans = new HashMap<>();

	private volatile @Nullable CompletableFuture<Void> disposal;

	/**
	 * The starter is switched off ({@code disposables.enabled=false}): no post-processor
	 * adopts the prototypes this scope resolves, so the scope destroys them itself, the
	 * way Spring destroys a prototype ({@code destroyBean}).
	 */
	private final boolean destroysResolvedPrototypes;

	DefaultDisposalScope(long id, @Nullable DefaultDisposalScope parent, BeanFactory beanFactory,
			DisposableRegistry registry, Consumer<DefaultDisposalScope> onDisposal) {
		this(id, parent, beanFactory, registry, onDisposal, false);
	}

	DefaultDisposalScope(long id, @Nullable DefaultDisposalScope parent, BeanFactory beanFactory,
			DisposableRegistry registry, Consumer<DefaultDisposalScope> onDisposal,
			boolean destroysResolvedPrototypes) {
		this.destroysResolvedPrototypes = destroysResolvedPrototypes;
		this.id = id;
		this.parent = parent;
		this.beanFactory = beanFactory;
		this.registry = registry;
		this.onDisposal = onDisposal;
	}

	long id() {
		return this.id;
	}

	BeanFactory beanFactory() {
		return this.beanFactory;
	}

	DisposableRegistry registry() {
		return this.registry;
	}

	OwnedResources resources() {
		return this.resources;
	}

	@Nullable DefaultDisposalScope parent() {
		return this.parent;
	}

	@Override
	public <T> T getBean(Class<T> type) {
		throwIfDisposed();
		if (this.destroysResolvedPrototypes && this.beanFactory instanceof ConfigurableListableBeanFactory factory) {
			NamedBeanHolder<T> holder = CurrentDisposalScope.with(this, () -> factory.resolveNamedBean(type));
			return destroyWithScopeIfPrototype(factory, holder.getBeanName(), holder.getBeanInstance());
		}
		return CurrentDisposalScope.with(this, () -> this.beanFactory.getBean(type));
	}

	@Override
	public <T> T getBean(String name, Class<T> type) {
		throwIfDisposed();
		T bean = CurrentDisposalScope.with(this, () -> this.beanFactory.getBean(name, type));
		if (this.destroysResolvedPrototypes && this.beanFactory instanceof ConfigurableListableBeanFactory factory) {
			return destroyWithScopeIfPrototype(factory, BeanFactoryUtils.transformedBeanName(name), bean);
		}
		return bean;
	}

	private <T> T destroyWithScopeIfPrototype(ConfigurableListableBeanFactory factory, String name, T bean) {
		if (factory.containsBeanDefinition(name) && factory.isPrototype(name)) {
			addDestructionCallback(() -> factory.destroyBean(name, bean));
		}
		return bean;
	}

	@Override
	public boolean isDisposed() {
		return this.disposal != null;
	}

	@Override
	public CompletionStage<Void> disposeAsync() {
		return dispose(false).minimalCompletionStage();
	}

	/**
	 * Disposes the scope without running user code on the calling thread, which may be an
	 * event loop: sync disposals run on the disposal executor; async disposals and
	 * destruction callbacks are started from the launcher. A scope that owns nothing, or
	 * only resources with sync callbacks, is started right here: no thread hop but the
	 * one to the executor.
	 * @return a stage that completes with the scope's disposal; cancelling it does not
	 * affect the disposal
	 */
	CompletableFuture<Void> disposeOffThread() {
		if (this.disposal != null || this.resources.onlyExecutorWork()) {
			// A copy: a Reactor subscriber that cancels must not cancel the disposal
			// other callers wait for.
			return dispose(true).copy();
		}
		return CompletableFuture.supplyAsync(() -> dispose(true), this.registry.launcher())
			.thenCompose(Function.identity());
	}

	/**
	 * Disposes the scope once; later calls return the same disposal.
	 * @param syncOnExecutor whether sync disposals run on the disposal executor rather
	 * than the calling thread
	 * @return the disposal, completed when every resource of the scope has been disposed
	 */
	private CompletableFuture<Void> dispose(boolean syncOnExecutor) {
		CompletableFuture<Void> result = this.disposal;
		if (result == null) {
			synchronized (this) {
				result = this.disposal;
				if (result == null) {
					result = new CompletableFuture<>();
					this.disposal = result;
				}
				else {
					return result;
				}
			}
			CurrentDisposalScope.leave(this);
			CompletableFuture<Void> done = result;
			this.resources.disposeAll(this.registry, syncOnExecutor).whenComplete((ignored, failure) -> {
				synchronized (this) {
					this.scopedBeans.clear();
				}
				this.onDisposal.accept(this);
				if (failure != null) {
					done.completeExceptionally(FailureCollector.unwrap(failure));
				}
				else {
					done.complete(null);
				}
			});
		}
		return result;
	}

	/**
	 * Takes ownership of a resource created while this scope was current.
	 * @param resource the resource to own
	 * @return {@code false} if this scope is being disposed (the caller disposes the
	 * resource at once)
	 */
	boolean adopt(ManagedResource resource) {
		return this.resources.add(resource);
	}

	/**
	 * A Spring destruction callback of a {@code @DisposalScoped} bean; run at once if the
	 * scope has ended.
	 * @param callback the callback to run when the scope ends
	 */
	void addDestructionCallback(Runnable callback) {
		if (!this.resources.add(callback)) {
			callback.run();
		}
	}

	/**
	 * This scope's instance of a {@code @DisposalScoped} bean, created on first use.
	 * @param name the name of the bean
	 * @param factory creates the bean if this scope has no instance yet
	 * @return this scope's instance of the bean
	 */
	Object scopedBean(String name, ObjectFactory<?> factory) {
		// A monitor rather than computeIfAbsent: creating one scoped bean may create
		// another one in the same scope.
		synchronized (this) {
			throwIfDisposed();
			Object bean = this.scopedBeans.get(name);
			if (bean == null) {
				bean = factory.getObject();
				this.scopedBeans.put(name, bean);
			}
			return bean;
		}
	}

	@Nullable Object removeScopedBean(String name) {
		synchronized (this) {
			return this.scopedBeans.remove(name);
		}
	}

	private void throwIfDisposed() {
		if (isDisposed()) {
			throw new ObjectDisposedException(toString());
		}
	}

	@Override
	public String toString() {
		return "DisposalScope#" + this.id;
	}

}
