package dev.disposables.spring.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real web application: a slow request in flight when shutdown starts completes (the
 * server drains first), and the bean it uses is disposed only after it.
 */
class GracefulShutdownWebTests {

	@Test
	void inFlightRequestCompletesBeforeTheBeansItUsesAreDisposed() throws Exception {
		SpringApplication application = new SpringApplication(WebApp.class);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		ConfigurableApplicationContext context = application.run("--server.port=0", "--server.shutdown=graceful",
				"--spring.main.banner-mode=off");
		WebApp app = context.getBean(WebApp.class);
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();

		HttpClient client = HttpClient.newHttpClient();
		CompletableFuture<HttpResponse<String>> response = client.sendAsync(
				HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/slow")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(app.requestEntered.await(10, TimeUnit.SECONDS)).isTrue();

		CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
		HttpResponse<String> result = response.get(30, TimeUnit.SECONDS);
		closing.get(30, TimeUnit.SECONDS);

		assertThat(result.statusCode()).isEqualTo(200);
		assertThat(result.body()).isEqualTo("used");
		SlowClient slowClient = app.slowClient;
		assertThat(slowClient.closedAt.get()).as("closed").isPositive();
		assertThat(slowClient.closedAt.get()).as("closed after the request finished")
			.isGreaterThan(slowClient.lastUsedAt.get());
	}

	@SpringBootApplication(proxyBeanMethods = false)
	@RestController
	static class WebApp {

		final CountDownLatch requestEntered = new CountDownLatch(1);

		SlowClient slowClient;

		@Bean
		SlowClient slowClient() {
			this.slowClient = new SlowClient();
			return this.slowClient;
		}

		@GetMapping("/slow")
		String slow() throws InterruptedException {
			this.requestEntered.countDown();
			Thread.sleep(Duration.ofMillis(1500).toMillis()); // the slow work, still
																// running when shutdown
																// starts
			return this.slowClient.use();
		}

	}

	static class SlowClient implements AutoCloseable {

		final AtomicLong lastUsedAt = new AtomicLong();

		final AtomicLong closedAt = new AtomicLong();

		String use() {
			if (this.closedAt.get() != 0) {
				throw new IllegalStateException("used after close");
			}
			this.lastUsedAt.set(System.nanoTime());
			return "used";
		}

		@Override
		public void close() {
			this.closedAt.set(System.nanoTime());
		}

	}

}
