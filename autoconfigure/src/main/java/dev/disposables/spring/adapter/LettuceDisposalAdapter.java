package dev.disposables.spring.adapter;

import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import dev.disposables.spring.DisposalAdapter;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.resource.ClientResources;

import org.springframework.core.Ordered;

/**
 * Shuts Lettuce clients ({@link AbstractRedisClient}: {@code RedisClient},
 * {@code RedisClusterClient}) and {@link ClientResources} down without blocking:
 * {@code shutdownAsync(0, timeout)} and {@code shutdown(0, timeout)}, the latter's Netty
 * future awaited through a listener. Spring Boot declares
 * {@code destroyMethod = "shutdown"} on {@code ClientResources}, and Spring then waits on
 * the returned future with no limit; that declaration is replaced.
 *
 * <p>
 * Escalation: Lettuce's own shutdown timeout is the per-resource timeout, so its event
 * loops stop waiting for a quiet period and terminate at that timeout (a second shutdown
 * call is ignored by Lettuce, so there is nothing more forceful to call).
 *
 * @since 0.2.0
 */
public final class LettuceDisposalAdapter implements DisposalAdapter, Ordered {

	private static final Set<String> REPLACED = Set.of("shutdown", "close", "shutdownAsync");

	@Override
	public String name() {
		return "lettuce";
	}

	@Override
	public boolean supports(Class<?> type) {
		return AbstractRedisClient.class.isAssignableFrom(type) || ClientResources.class.isAssignableFrom(type);
	}

	@Override
	public Set<String> replacedDestroyMethods(Class<?> type) {
		return REPLACED;
	}

	@Override
	public CompletionStage<Void> dispose(Object instance, Context context) {
		long timeout = context.timeout().toMillis();
		if (instance instanceof AbstractRedisClient client) {
			return client.shutdownAsync(0, timeout, TimeUnit.MILLISECONDS);
		}
		return NettyFutures.toStage(((ClientResources) instance).shutdown(0, timeout, TimeUnit.MILLISECONDS));
	}

	@Override
	public int getOrder() {
		return BUILT_IN_ORDER;
	}

}
