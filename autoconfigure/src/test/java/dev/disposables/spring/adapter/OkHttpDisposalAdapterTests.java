package dev.disposables.spring.adapter;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import okhttp3.Cache;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link OkHttpDisposalAdapter} against a real OkHttp client, with a cache, talking to a
 * local HTTP server.
 */
class OkHttpDisposalAdapterTests {

	private final ApplicationContextRunner runner = AdapterTestSupport.runner();

	private final CountDownLatch received = new CountDownLatch(1);

	private HttpServer server;

	@BeforeEach
	void startServer() throws IOException {
		// The call is still in flight when the context closes.
		this.server = AdapterTestSupport.startOkServer(this.received::countDown, Duration.ofMillis(300));
	}

	@AfterEach
	void stopServer() {
		this.server.stop(0);
	}

	@Test
	void callsInFlightFinishThenConnectionsAndCacheAreReleased(@TempDir Path cacheDirectory) throws Exception {
		Cache cache = new Cache(cacheDirectory.toFile(), 1024 * 1024);
		OkHttpClient client = new OkHttpClient.Builder().cache(cache).build();
		CompletableFuture<Integer> status = new CompletableFuture<>();
		this.runner.withBean("okHttpClient", OkHttpClient.class, () -> client).run((context) -> {
			AdapterTestSupport.assertAdapted(context, "okHttpClient", "okhttp");
			Request request = new Request.Builder().url("http://127.0.0.1:" + this.server.getAddress().getPort() + "/")
				.build();
			client.newCall(request).enqueue(new Callback() {

				@Override
				public void onFailure(Call call, IOException ex) {
					status.completeExceptionally(ex);
				}

				@Override
				public void onResponse(Call call, Response response) throws IOException {
					try (response) {
						response.body().string();
						status.complete(response.code());
					}
				}

			});
			assertThat(this.received.await(5, TimeUnit.SECONDS)).isTrue();
		});
		assertThat(status).isCompletedWithValue(200);
		assertThat(client.dispatcher().executorService().isTerminated()).isTrue();
		assertThat(client.connectionPool().connectionCount()).isZero();
		assertThat(cache.isClosed()).isTrue();
	}

}
