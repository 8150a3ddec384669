package dev.disposables.spring.adapter;

import java.util.Set;
import java.util.concurrent.CompletionStage;

import dev.disposables.spring.DisposalAdapter;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorStatus;

import org.springframework.core.Ordered;

/**
 * Closes an Apache HttpClient 5 {@link CloseableHttpAsyncClient} gracefully without blocking:
 * {@code initiateShutdown()}, then its I/O reactor's status polled on the starter's threads until it is shut down, then
 * {@code close(CloseMode.GRACEFUL)} to release its executor and connection manager. Spring infers {@code close()},
 * which blocks for up to several seconds. At the per-resource timeout the client is escalated to
 * {@code close(CloseMode.IMMEDIATE)}.
 *
 * @since 0.2.0
 */
public final class HttpClient5DisposalAdapter implements DisposalAdapter, Ordered {

	private static final Set<String> REPLACED = Set.of("close", "initiateShutdown");

	@Override
	public String name() {
		return "httpclient5";
	}

	@Override
	public boolean supports(Class<?> type) {
		return CloseableHttpAsyncClient.class.isAssignableFrom(type);
	}

	@Override
	public Set<String> replacedDestroyMethods(Class<?> type) {
		return REPLACED;
	}

	@Override
	public CompletionStage<Void> dispose(Object instance, Context context) {
		CloseableHttpAsyncClient client = (CloseableHttpAsyncClient) instance;
		context.onTimeout(() -> client.close(CloseMode.IMMEDIATE));
		client.initiateShutdown();
		// Once the reactor is down, the graceful close only releases what is left: it no longer waits for I/O.
		return context.awaitCondition(() -> client.getStatus() == IOReactorStatus.SHUT_DOWN)
			.thenRunAsync(() -> client.close(CloseMode.GRACEFUL), context.executor());
	}

	@Override
	public int getOrder() {
		return BUILT_IN_ORDER;
	}

}
