package dev.disposables.spring.adapter;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import dev.disposables.spring.DisposalAdapter;
import io.netty.util.concurrent.EventExecutorGroup;

import org.springframework.core.Ordered;
import org.springframework.util.Assert;

/**
 * Shuts a Netty {@link EventExecutorGroup} (an event loop group, an executor group) down
 * gracefully: {@code shutdownGracefully(quietPeriod, timeout)}, awaited through its
 * future's listener. Spring would call the deprecated, non-graceful {@code shutdown()}
 * that an {@code ExecutorService} inherits (or, on JDK 19+, {@code close()}, which
 * blocks). The timeout given to Netty is the per-resource timeout; at that timeout the
 * group is escalated to {@code shutdownNow()}, which ends the quiet period at once.
 *
 * @since 0.2.0
 */
public final class NettyDisposalAdapter implements DisposalAdapter, Ordered {

	private static final Set<String> REPLACED = Set.of("close", "shutdown", "shutdownNow", "shutdownGracefully");

	private final Duration quietPeriod;

	/**
	 * Create the adapter.
	 * @param quietPeriod how long a group keeps accepting tasks after the last one before
	 * it stops (Netty's quiet period), capped at the per-resource timeout
	 */
	public NettyDisposalAdapter(Duration quietPeriod) {
		Assert.isTrue(!quietPeriod.isNegative(), "quietPeriod must not be negative");
		this.quietPeriod = quietPeriod;
	}

	@Override
	public String name() {
		return "netty";
	}

	@Override
	public boolean supports(Class<?> type) {
		return EventExecutorGroup.class.isAssignableFrom(type);
	}

	@Override
	public Set<String> replacedDestroyMethods(Class<?> type) {
		return REPLACED;
	}

	@Override
	@SuppressWarnings("deprecation") // shutdownNow() is Netty's only forceful stop
	public CompletionStage<Void> dispose(Object instance, Context context) {
		EventExecutorGroup group = (EventExecutorGroup) instance;
		long timeout = context.timeout().toMillis();
		long quiet = Math.min(this.quietPeriod.toMillis(), timeout);
		context.onTimeout(group::shutdownNow);
		return NettyFutures.toStage(group.shutdownGracefully(quiet, timeout, TimeUnit.MILLISECONDS));
	}

	@Override
	public int getOrder() {
		return BUILT_IN_ORDER;
	}

}
