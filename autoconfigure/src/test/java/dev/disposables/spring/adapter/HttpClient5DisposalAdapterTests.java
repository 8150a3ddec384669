package dev.disposables.spring.adapter;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.reactor.IOReactorStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link HttpClient5DisposalAdapter} against a real Apache HttpClient 5 async client
 * talking to a local HTTP server.
 */
class HttpClient5DisposalAdapterTests {

	private final ApplicationContextRunner runner = AdapterTestSupport.runner();

	private HttpServer server;

	@BeforeEach
	void startServer() throws IOException {
		this.server = AdapterTestSupport.startOkServer(() -> {
		}, Duration.ZERO);
	}

	@AfterEach
	void stopServer() {
		this.server.stop(0);
	}

	@Test
	void clientIsShutDownGracefullyWithinTheTimeout() {
		CloseableHttpAsyncClient client = HttpAsyncClients.custom()
			.setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(1).build())
			.build();
		client.start();
		URI uri = URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/");
		this.runner.withBean("httpClient", CloseableHttpAsyncClient.class, () -> client).run((context) -> {
			AdapterTestSupport.assertAdapted(context, "httpClient", "httpclient5");
			SimpleHttpResponse response = client.execute(SimpleRequestBuilder.get(uri).build(), null)
				.get(10, TimeUnit.SECONDS);
			assertThat(response.getCode()).isEqualTo(200);
		});
		assertThat(client.getStatus()).isEqualTo(IOReactorStatus.SHUT_DOWN);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(AdapterTestSupport.liveThreads("httpclient-dispatch", "httpclient-main"))
				.isEmpty());
	}

	@Test
	void clientNeverStartedIsClosed() {
		CloseableHttpAsyncClient client = HttpAsyncClients.createDefault();
		this.runner.withBean("httpClient", CloseableHttpAsyncClient.class, () -> client).run((context) -> {
		});
		assertThat(client.getStatus()).isEqualTo(IOReactorStatus.SHUT_DOWN);
	}

}
