package dev.disposables.spring.adapter;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.disposables.spring.DisposalAdapter;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;

import org.springframework.core.Ordered;

/**
 * Closes an Apache HttpClient 5 {@link CloseableHttpAsyncClient} gracefully within the
 * per-resource timeout: {@code initiateShutdown()}, {@code awaitShutdown(timeout)}, then
 * {@code close(CloseMode.GRACEFUL)}, which once the I/O reactor is down only releases the
 * client's executor and connection manager. Spring infers {@code close()}, whose graceful
 * wait is the library's fixed 5 s (plus 1 s for its executor), outside any timeout of the
 * application. At the per-resource timeout the waiting disposal thread is interrupted and
 * the client escalated to {@code close(CloseMode.IMMEDIATE)}.
 *
 * <p>
 * The client offers no callback and no terminal status for its graceful shutdown (the
 * status of its multi-core reactor stays {@code SHUTTING_DOWN} until {@code close}), so
 * the wait holds the disposal thread, which the starter bounds by
 * {@code disposables.shutdown.max-concurrency} like any blocking disposal.
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
	public CompletionStage<Void> dispose(Object instance, Context context) throws InterruptedException {
		CloseableHttpAsyncClient client = (CloseableHttpAsyncClient) instance;
		context.onTimeout(() -> client.close(CloseMode.IMMEDIATE));
		client.initiateShutdown();
		client.awaitShutdown(TimeValue.ofMilliseconds(context.timeout().toMillis()));
		client.close(CloseMode.GRACEFUL);
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public int getOrder() {
		return BUILT_IN_ORDER;
	}

}
