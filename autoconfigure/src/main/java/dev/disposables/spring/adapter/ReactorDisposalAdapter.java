package dev.disposables.spring.adapter;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.disposables.spring.DisposalAdapter;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

import org.springframework.core.Ordered;
import org.springframework.util.ReflectionUtils;

/**
 * Disposes Reactor {@link Scheduler}s gracefully ({@code disposeGracefully()}, subscribed
 * to and awaited; at the per-resource timeout the subscription is cancelled and the
 * scheduler escalated to {@code dispose()}), and other Reactor {@link Disposable}s with
 * {@code dispose()}. Spring ignores both: neither is {@code AutoCloseable} nor has a
 * {@code close()} or {@code shutdown()} method.
 *
 * <p>
 * A {@code Disposable} that Spring would dispose another way (it is
 * {@code AutoCloseable}, or has a public {@code close()} or {@code shutdown()} method
 * Spring infers) is left to the other adapters and the generic rules: {@code dispose()}
 * may not be what its author meant to run at shutdown.
 *
 * @since 0.2.0
 */
public final class ReactorDisposalAdapter implements DisposalAdapter, Ordered {

	private static final Set<String> REPLACED = Set.of("dispose", "disposeGracefully");

	@Override
	public String name() {
		return "reactor";
	}

	@Override
	public boolean supports(Class<?> type) {
		if (Scheduler.class.isAssignableFrom(type)) {
			return true;
		}
		return Disposable.class.isAssignableFrom(type) && !AutoCloseable.class.isAssignableFrom(type)
				&& !hasPublicNoArgMethod(type, "close") && !hasPublicNoArgMethod(type, "shutdown");
	}

	private static boolean hasPublicNoArgMethod(Class<?> type, String name) {
		Method method = ReflectionUtils.findMethod(type, name);
		return method != null && Modifier.isPublic(method.getModifiers());
	}

	@Override
	public Set<String> replacedDestroyMethods(Class<?> type) {
		return REPLACED;
	}

	@Override
	public CompletionStage<Void> dispose(Object instance, Context context) {
		if (instance instanceof Scheduler scheduler) {
			context.onTimeout(scheduler::dispose);
			return context.await(scheduler.disposeGracefully());
		}
		((Disposable) instance).dispose();
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public int getOrder() {
		return BUILT_IN_ORDER;
	}

}
