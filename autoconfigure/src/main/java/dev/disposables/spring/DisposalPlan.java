package dev.disposables.spring;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.disposables.AsyncDisposable;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.util.ReflectionUtils;

/**
 * How instances of one bean definition and class are disposed. Computed once per (class,
 * definition) by the {@link DisposalPlanner} and shared by every instance; it holds no
 * instance, so weakly tracked prototypes stay collectable.
 *
 * <p>
 * Spring's order: {@code @PreDestroy} methods (subclass before superclass),
 * {@link DisposableBean#destroy()}, then the destroy methods. Async-first: when the type
 * has an async way ({@link AsyncDisposable} or an async destroy method), it takes the
 * place of the destroy methods and is awaited without holding a thread. Every step is
 * attempted; the first failure is thrown with the later ones suppressed.
 *
 * <p>
 * A type a {@link DisposalAdapter} supports is disposed by that adapter, after the
 * {@code @PreDestroy} methods and {@link DisposableBean#destroy()} (which Spring would
 * run as well). The adapter belongs to the plan, not to each instance.
 */
final class DisposalPlan {

	/** Disposes nothing: the plan of an anchor. */
	static final DisposalPlan NONE = async(List.of(), false, false, List.of(), Set.of());

	private final DisposalMode mode;

	private final boolean asyncDisposable;

	private final List<Method> asyncMethods;

	private final List<Method> preDestroyMethods;

	private final boolean disposableBean;

	private final List<Method> destroyMethods;

	private final Set<String> takenOverMethods;

	private final @Nullable DisposalAdapter adapter;

	/**
	 * Whether the plan is only {@link AutoCloseable#close()}, called directly, as
	 * Spring's own adapter does: no reflection and nothing to collect, for the most
	 * common plan.
	 */
	private final boolean onlyClose;

	private DisposalPlan(DisposalMode mode, boolean asyncDisposable, List<Method> asyncMethods,
			List<Method> preDestroyMethods, boolean disposableBean, List<Method> destroyMethods,
			Set<String> takenOverMethods) {
		this(mode, asyncDisposable, asyncMethods, preDestroyMethods, disposableBean, destroyMethods, takenOverMethods,
				null);
	}

	private DisposalPlan(DisposalMode mode, boolean asyncDisposable, List<Method> asyncMethods,
			List<Method> preDestroyMethods, boolean disposableBean, List<Method> destroyMethods,
			Set<String> takenOverMethods, @Nullable DisposalAdapter adapter) {
		this.adapter = adapter;
		this.mode = mode;
		this.asyncDisposable = asyncDisposable;
		this.asyncMethods = List.copyOf(asyncMethods);
		this.preDestroyMethods = List.copyOf(preDestroyMethods);
		this.disposableBean = disposableBean;
		this.destroyMethods = List.copyOf(destroyMethods);
		this.takenOverMethods = Set.copyOf(takenOverMethods);
		this.onlyClose = mode == DisposalMode.SYNC && adapter == null && this.preDestroyMethods.isEmpty()
				&& !disposableBean && this.destroyMethods.size() == 1
				&& isAutoCloseableClose(this.destroyMethods.get(0));
	}

	private static boolean isAutoCloseableClose(Method method) {
		// Any close() of an AutoCloseable overrides AutoCloseable.close(): calling that
		// dispatches to the same implementation as the method itself.
		return method.getName().equals("close") && method.getParameterCount() == 0
				&& AutoCloseable.class.isAssignableFrom(method.getDeclaringClass());
	}

	/**
	 * A plan that runs the {@code @PreDestroy} methods and
	 * {@link DisposableBean#destroy()}, then awaits the async way.
	 * @param preDestroyMethods the {@code @PreDestroy} methods, in the order they run
	 * @param disposableBean whether the type implements {@link DisposableBean}
	 * @param asyncDisposable whether the async way is
	 * {@link AsyncDisposable#disposeAsync()}
	 * @param asyncMethods otherwise, the methods returning an async result, in order
	 * @param takenOverMethods the destroy-method identifiers (in Spring's format) Spring
	 * must skip
	 * @return the plan
	 */
	static DisposalPlan async(List<Method> preDestroyMethods, boolean disposableBean, boolean asyncDisposable,
			List<Method> asyncMethods, Set<String> takenOverMethods) {
		return new DisposalPlan(DisposalMode.ASYNC, asyncDisposable, asyncMethods, preDestroyMethods, disposableBean,
				List.of(), takenOverMethods);
	}

	static DisposalPlan sync(List<Method> preDestroyMethods, boolean disposableBean, List<Method> destroyMethods,
			Set<String> takenOverMethods) {
		return new DisposalPlan(DisposalMode.SYNC, false, List.of(), preDestroyMethods, disposableBean, destroyMethods,
				takenOverMethods);
	}

	/**
	 * A plan that runs the {@code @PreDestroy} methods and
	 * {@link DisposableBean#destroy()}, then the adapter.
	 * @param adapter the adapter that disposes the instances
	 * @param preDestroyMethods the {@code @PreDestroy} methods, in the order they run
	 * @param disposableBean whether the type implements {@link DisposableBean}
	 * @param takenOverMethods the destroy-method identifiers (in Spring's format) Spring
	 * must skip
	 * @return the plan
	 */
	static DisposalPlan adapted(DisposalAdapter adapter, List<Method> preDestroyMethods, boolean disposableBean,
			Set<String> takenOverMethods) {
		return new DisposalPlan(DisposalMode.ASYNC, false, List.of(), preDestroyMethods, disposableBean, List.of(),
				takenOverMethods, adapter);
	}

	/**
	 * This plan without {@link DisposableBean#destroy()}, for a bean Spring destroys
	 * through {@code AutowireCapableBeanFactory.destroyBean(Object)}: Spring calls
	 * {@code destroy()} itself there, after the destruction-aware post-processors,
	 * whatever the bean definition says.
	 * @return this plan if it does not call {@code destroy()}, else a copy that does not
	 */
	DisposalPlan withoutDisposableBean() {
		if (!this.disposableBean) {
			return this;
		}
		return new DisposalPlan(this.mode, this.asyncDisposable, this.asyncMethods, this.preDestroyMethods, false,
				this.destroyMethods, this.takenOverMethods, this.adapter);
	}

	DisposalMode mode() {
		return this.mode;
	}

	/**
	 * The name of the adapter that disposes the instances.
	 * @return the name, or {@code null} when the generic rules apply
	 */
	@Nullable String adapterName() {
		DisposalAdapter current = this.adapter;
		return (current != null) ? current.name() : null;
	}

	/**
	 * Destroy-method identifiers (in Spring's format) this plan invokes itself,
	 * registered as externally managed so that Spring's own destruction skips them.
	 * @return the destroy-method identifiers
	 */
	Set<String> takenOverMethods() {
		return this.takenOverMethods;
	}

	/**
	 * Starts the disposal of an instance. Never throws: a synchronous failure comes back
	 * as a failed stage.
	 * @param bean the instance
	 * @param blockingExecutor where sync callbacks run (and plain {@code Future}s are
	 * awaited)
	 * @return a stage that completes when the disposal has finished
	 */
	CompletionStage<Void> dispose(Object bean, Executor blockingExecutor) {
		return dispose(bean, blockingExecutor, (canceller) -> {
		});
	}

	/**
	 * Starts the disposal of an instance, with the default per-resource timeout given to
	 * an adapter.
	 * @param bean the instance
	 * @param blockingExecutor where sync callbacks run, plain {@code Future}s are awaited
	 * and a later async destroy method is invoked once the previous one has finished
	 * @param onAbandon receives how to cancel what the disposal subscribed to, run if the
	 * disposal is abandoned at its timeout
	 * @return a stage that completes when the disposal has finished
	 */
	CompletionStage<Void> dispose(Object bean, Executor blockingExecutor, Consumer<Runnable> onAbandon) {
		return dispose(bean, blockingExecutor, onAbandon, DisposalSettings.defaults().perResourceTimeout());
	}

	/**
	 * Starts the disposal of an instance. Never throws: a synchronous failure comes back
	 * as a failed stage.
	 * @param bean the instance
	 * @param blockingExecutor where sync callbacks run, plain {@code Future}s are awaited
	 * and a later async destroy method is invoked once the previous one has finished
	 * @param onAbandon receives how to cancel what the disposal subscribed to (a
	 * publisher's subscription, a {@code Future}, an adapter's escalation), run if the
	 * disposal is abandoned at its timeout
	 * @param timeout the per-resource timeout, which an adapter may pass on to the
	 * library
	 * @return a stage that completes when the disposal has finished
	 */
	CompletionStage<Void> dispose(Object bean, Executor blockingExecutor, Consumer<Runnable> onAbandon,
			Duration timeout) {
		try {
			if (this.adapter != null) {
				return disposeAdapted(this.adapter, bean, new AdapterContext(timeout, blockingExecutor, onAbandon));
			}
			if (this.mode == DisposalMode.ASYNC) {
				return disposeAsync(bean, blockingExecutor, onAbandon);
			}
			return CompletableFuture.runAsync(() -> {
				try {
					disposeSync(bean);
				}
				catch (Exception ex) {
					throw FailureCollector.asUnchecked(ex);
				}
			}, blockingExecutor);
		}
		catch (Throwable ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Spring's own callbacks first (every one attempted), then the adapter; the first
	 * failure is the stage's, later ones suppressed.
	 * @param adapter the adapter of this plan
	 * @param bean the instance
	 * @param context what the adapter is given: the timeout, the executor, how to cancel
	 * @return a stage that completes when the adapter's disposal has finished,
	 * exceptionally with the first failure
	 */
	private CompletionStage<Void> disposeAdapted(DisposalAdapter adapter, Object bean, AdapterContext context) {
		FailureCollector failures = runSpringCallbacks(bean);
		CompletionStage<Void> stage;
		try {
			stage = adapter.dispose(bean, context);
			if (stage == null) {
				throw new IllegalStateException("DisposalAdapter " + adapter.getClass().getName()
						+ " returned null instead of a stage for " + bean.getClass().getName());
			}
		}
		catch (Throwable ex) {
			stage = CompletableFuture.failedFuture(ex);
		}
		return afterFailures(failures, stage);
	}

	/**
	 * Runs the {@code @PreDestroy} methods and {@link DisposableBean#destroy()}, which
	 * Spring runs before any destroy method, every one attempted.
	 * @param bean the instance
	 * @return the failures, if any
	 */
	private FailureCollector runSpringCallbacks(Object bean) {
		FailureCollector failures = new FailureCollector();
		for (Method method : this.preDestroyMethods) {
			failures.attempt(() -> invoke(method, bean));
		}
		if (this.disposableBean) {
			failures.attempt(((DisposableBean) bean)::destroy);
		}
		return failures;
	}

	/**
	 * The stage of the last step, failed with the first earlier failure if there was one
	 * (the later ones suppressed).
	 * @param failures the failures of the earlier steps
	 * @param stage the last step
	 * @return a stage that completes when the last step has finished
	 */
	private static CompletionStage<Void> afterFailures(FailureCollector failures, CompletionStage<Void> stage) {
		if (!failures.hasAny()) {
			return stage;
		}
		return stage.handle((ignored, failure) -> {
			if (failure != null) {
				failures.add(FailureCollector.unwrap(failure));
			}
			throw FailureCollector.asUnchecked(failures.first());
		});
	}

	private CompletionStage<Void> disposeAsync(Object bean, Executor blockingExecutor, Consumer<Runnable> onAbandon) {
		FailureCollector failures = runSpringCallbacks(bean);
		CompletionStage<Void> stage;
		try {
			stage = disposeAsyncWay(bean, blockingExecutor, onAbandon);
		}
		catch (Throwable ex) {
			stage = CompletableFuture.failedFuture(ex);
		}
		return afterFailures(failures, stage);
	}

	private CompletionStage<Void> disposeAsyncWay(Object bean, Executor blockingExecutor,
			Consumer<Runnable> onAbandon) {
		if (this.asyncDisposable) {
			CompletionStage<Void> stage = ((AsyncDisposable) bean).disposeAsync();
			if (stage == null) {
				throw new IllegalStateException(
						"disposeAsync() of " + bean.getClass().getName() + " returned null instead of a stage");
			}
			return stage;
		}
		CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
		for (Method method : this.asyncMethods) {
			Function<Void, CompletionStage<Void>> next = (ignored) -> {
				try {
					return AsyncResults.toStage(invoke(method, bean), blockingExecutor, onAbandon);
				}
				catch (Exception ex) {
					return CompletableFuture.failedFuture(ex);
				}
			};
			// The first method runs here; a later one on a starter thread, not on
			// whatever thread completed the previous stage.
			chain = chain.isDone() ? chain.thenCompose(next) : chain.thenComposeAsync(next, blockingExecutor);
		}
		return chain;
	}

	/**
	 * Runs the sync callbacks in Spring's order on the calling thread.
	 * @param bean the instance
	 */
	void disposeSync(Object bean) throws Exception {
		if (this.onlyClose) {
			closeDirectly((AutoCloseable) bean);
			return;
		}
		FailureCollector failures = runSpringCallbacks(bean);
		for (Method method : this.destroyMethods) {
			// A result the declared type did not announce is awaited, as Spring does.
			failures.attempt(() -> AsyncResults.awaitIfAsync(invoke(method, bean)));
		}
		failures.throwIfAny();
	}

	private static void closeDirectly(AutoCloseable bean) throws Exception {
		try {
			bean.close();
		}
		catch (Exception | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			// A Throwable of the user's own, thrown sneakily: carried as the reflective
			// call would.
			throw new UndeclaredThrowableException(ex);
		}
	}

	private static @Nullable Object invoke(Method method, Object bean) throws Exception {
		ReflectionUtils.makeAccessible(method);
		try {
			// Spring's convention: a single boolean parameter is a "force" flag, passed
			// as true.
			return (method.getParameterCount() == 1) ? method.invoke(bean, true) : method.invoke(bean);
		}
		catch (InvocationTargetException ex) {
			Throwable target = ex.getTargetException();
			if (target instanceof Exception exception) {
				throw exception;
			}
			if (target instanceof Error error) {
				throw error;
			}
			// A Throwable of the user's own, neither: carried, not lost to a cast.
			throw new UndeclaredThrowableException(target);
		}
	}

}
