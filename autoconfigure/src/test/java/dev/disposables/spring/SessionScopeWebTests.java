package dev.disposables.spring;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.disposables.AsyncDisposable;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.annotation.SessionScope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Session-scoped disposables: tracked while the session lives, disposed async-first (only
 * through {@code disposeAsync()}) when the session ends, exactly once.
 */
@SpringBootTest(classes = SessionScopeWebTests.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SessionScopeWebTests {

	static final List<String> calls = new CopyOnWriteArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

	@LocalServerPort
	int port;

	@Autowired
	DisposableRegistry registry;

	@Test
	void sessionBeanIsDisposedAsyncOnceWhenTheSessionEnds() throws Exception {
		String cart = get("/cart");
		assertThat(get("/cart")).as("same session, same bean").isEqualTo(cart);
		assertThat(this.registry.resources()).anySatisfy((resource) -> {
			assertThat(resource.beanName()).isEqualTo("cart");
			assertThat(resource.scope()).isEqualTo("session");
			assertThat(resource.mode()).isEqualTo(DisposalMode.ASYNC);
		});

		get("/logout");

		await().atMost(10, TimeUnit.SECONDS).until(() -> calls.contains("disposeAsync-" + cart));
		await().atMost(10, TimeUnit.SECONDS)
			.until(() -> this.registry.resources()
				.stream()
				.noneMatch((resource) -> resource.beanName().equals("cart")));
		assertThat(calls).containsExactly("disposeAsync-" + cart);
	}

	private String get(String path) throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	@SpringBootApplication(proxyBeanMethods = false)
	@RestController
	static class App {

		@Bean
		@SessionScope
		Cart cart() {
			return new Cart();
		}

		@Autowired
		ObjectProvider<Cart> carts;

		@GetMapping("/cart")
		String currentCart() {
			return this.carts.getObject().id();
		}

		@GetMapping("/logout")
		String logout(HttpSession session) {
			session.invalidate();
			return "bye";
		}

	}

	static class Cart implements AsyncDisposable {

		private final String id = UUID.randomUUID().toString();

		public String id() {
			return this.id;
		}

		@Override
		public CompletionStage<Void> disposeAsync() {
			calls.add("disposeAsync-" + this.id);
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public void close() {
			calls.add("close-" + this.id);
		}

	}

}
