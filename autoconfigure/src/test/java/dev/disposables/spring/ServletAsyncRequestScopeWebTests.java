package dev.disposables.spring;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.web.context.annotation.RequestScope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An async request started outside Spring MVC (a plain servlet calling
 * {@code startAsync()}): its request-scoped disposables are kept until the async
 * processing completes, not disposed when the first dispatch exits.
 */
@SpringBootTest(classes = ServletAsyncRequestScopeWebTests.App.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServletAsyncRequestScopeWebTests {

	static final Map<String, Long> disposedAt = new ConcurrentHashMap<>();

	static final Map<String, Long> completedAt = new ConcurrentHashMap<>();

	static final CountDownLatch dispatchExited = new CountDownLatch(1);

	@LocalServerPort
	int port;

	@Test
	void beanLivesUntilTheAsyncRequestCompletes() throws Exception {
		HttpResponse<String> response = LocalHttp.get(this.port, "/raw-async");
		assertThat(response.statusCode()).isEqualTo(200);
		String id = response.body();
		await().atMost(10, TimeUnit.SECONDS).until(() -> disposedAt.containsKey(id));
		assertThat(disposedAt.get(id)).as("disposed after the async completion, not after the first dispatch")
			.isGreaterThan(completedAt.get(id));
	}

	@SpringBootApplication(proxyBeanMethods = false)
	static class App {

		@Bean
		@RequestScope
		Tracked tracked() {
			return new Tracked();
		}

		@Bean
		ServletRegistrationBean<HttpServlet> rawAsyncServlet(ObjectProvider<Tracked> tracked) {
			ServletRegistrationBean<HttpServlet> registration = new ServletRegistrationBean<>(new HttpServlet() {

				@Override
				protected void doGet(HttpServletRequest request, HttpServletResponse response) {
					String id = tracked.getObject().id();
					AsyncContext async = request.startAsync();
					CompletableFuture.runAsync(() -> {
						try {
							dispatchExited.await(5, TimeUnit.SECONDS);
							response.getWriter().write(id);
							completedAt.put(id, System.nanoTime());
							async.complete();
						}
						catch (IOException | InterruptedException ex) {
							throw new IllegalStateException(ex);
						}
					}, CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
					dispatchExited.countDown();
				}

			}, "/raw-async");
			registration.setAsyncSupported(true);
			return registration;
		}

	}

	static class Tracked implements AutoCloseable {

		private final String id = UUID.randomUUID().toString();

		public String id() {
			return this.id;
		}

		@Override
		public void close() {
			disposedAt.put(this.id, System.nanoTime());
		}

	}

}
