package dev.disposables.spring.adapter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;

import dev.disposables.spring.DisposalAdapter;
import okhttp3.Cache;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;

/**
 * Releases what an {@link OkHttpClient} holds, which has no close method and which Spring
 * therefore never disposes: its dispatcher's executor is shut down (calls already
 * enqueued still run), idle pooled connections are evicted at once, and, once the calls
 * in flight have finished (polled on the starter's threads), the remaining connections
 * are evicted and the cache, if any, is closed. At the per-resource timeout the executor
 * is escalated to {@code shutdownNow()} and every idle connection evicted.
 *
 * <p>
 * Clients made with {@code newBuilder()} share their dispatcher and connection pool:
 * disposing one affects the others, as closing them by hand would.
 *
 * @since 0.2.0
 */
public final class OkHttpDisposalAdapter implements DisposalAdapter, Ordered {

	@Override
	public String name() {
		return "okhttp";
	}

	@Override
	public boolean supports(Class<?> type) {
		return OkHttpClient.class.isAssignableFrom(type);
	}

	@Override
	public CompletionStage<Void> dispose(Object instance, Context context) {
		OkHttpClient client = (OkHttpClient) instance;
		ExecutorService executor = client.dispatcher().executorService();
		context.onTimeout(() -> {
			executor.shutdownNow();
			client.connectionPool().evictAll();
		});
		executor.shutdown();
		client.connectionPool().evictAll();
		return context.awaitCondition(executor::isTerminated).thenRunAsync(() -> {
			client.connectionPool().evictAll();
			closeCache(client.cache());
		}, context.executor());
	}

	private static void closeCache(@Nullable Cache cache) {
		if (cache == null) {
			return;
		}
		try {
			cache.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public int getOrder() {
		return BUILT_IN_ORDER;
	}

}
