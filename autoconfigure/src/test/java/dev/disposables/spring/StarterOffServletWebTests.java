package dev.disposables.spring;

import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Scope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code disposables.enabled=false} in a servlet application that injects
 * {@link DisposalScopes}: it starts, answers over real HTTP, and a scope disposes what it
 * resolved when it closes.
 */
@SpringBootTest(classes = StarterOffServletWebTests.App.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=servlet", "disposables.enabled=false" })
class StarterOffServletWebTests {

	static final AtomicInteger ids = new AtomicInteger();

	static final Set<Integer> closed = ConcurrentHashMap.newKeySet();

	@LocalServerPort
	int port;

	@Test
	void applicationInjectingDisposalScopesStartsAndItsScopesDisposeWhatTheyOwn() throws Exception {
		HttpResponse<String> response = LocalHttp.get(this.port, "/work");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(closed).as("disposed when the scope closed, before the response")
			.contains(Integer.parseInt(response.body()));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		@Scope("prototype")
		Work work() {
			return new Work(ids.incrementAndGet());
		}

		@Bean
		Controller controller(DisposalScopes scopes) {
			return new Controller(scopes);
		}

	}

	@RestController
	static class Controller {

		private final DisposalScopes scopes;

		Controller(DisposalScopes scopes) {
			this.scopes = scopes;
		}

		@GetMapping("/work")
		String work() throws Exception {
			return this.scopes.call(() -> String.valueOf(this.scopes.current().orElseThrow().getBean(Work.class).id));
		}

	}

	static class Work implements AutoCloseable {

		final int id;

		Work(int id) {
			this.id = id;
		}

		@Override
		public void close() {
			closed.add(this.id);
		}

	}

}
