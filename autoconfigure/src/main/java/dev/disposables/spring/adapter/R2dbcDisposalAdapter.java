package dev.disposables.spring.adapter;

import java.util.Set;
import java.util.concurrent.CompletionStage;

import dev.disposables.spring.DisposalAdapter;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Closeable;
import io.r2dbc.spi.ConnectionFactory;

import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Closes an R2DBC {@link ConnectionFactory} that is {@link Closeable} without blocking:
 * {@code disposeLater()} for an r2dbc-pool {@code ConnectionPool}, {@code close()} for
 * any other, subscribed to and awaited. Spring Boot declares
 * {@code destroyMethod = "dispose"} on the pool, a {@code disposeLater().block()}: that
 * declaration is replaced. At the per-resource timeout the subscription is cancelled.
 *
 * <p>
 * Ordered before {@link ReactorDisposalAdapter}: a {@code ConnectionPool} is a Reactor
 * {@code Disposable} too.
 *
 * @since 0.2.0
 */
public final class R2dbcDisposalAdapter implements DisposalAdapter, Ordered {

	private static final boolean POOL_PRESENT = ClassUtils.isPresent("io.r2dbc.pool.ConnectionPool",
			R2dbcDisposalAdapter.class.getClassLoader());

	private static final Set<String> REPLACED = Set.of("dispose", "close", "disposeLater");

	@Override
	public String name() {
		return "r2dbc";
	}

	@Override
	public boolean supports(Class<?> type) {
		return ConnectionFactory.class.isAssignableFrom(type) && Closeable.class.isAssignableFrom(type);
	}

	@Override
	public Set<String> replacedDestroyMethods(Class<?> type) {
		return REPLACED;
	}

	@Override
	public CompletionStage<Void> dispose(Object instance, Context context) {
		if (POOL_PRESENT && Pools.isPool(instance)) {
			return context.await(Pools.disposeLater(instance));
		}
		return context.await(((Closeable) instance).close());
	}

	@Override
	public int getOrder() {
		return BUILT_IN_ORDER - 10;
	}

	/** Loaded only when r2dbc-pool is present. */
	private static final class Pools {

		static boolean isPool(Object instance) {
			return instance instanceof ConnectionPool;
		}

		static Object disposeLater(Object instance) {
			return ((ConnectionPool) instance).disposeLater();
		}

	}

}
