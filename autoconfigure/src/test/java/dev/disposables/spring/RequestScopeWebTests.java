package dev.disposables.spring;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.disposables.spring.RecordingResource.First;
import dev.disposables.spring.RecordingResource.Second;
import dev.disposables.spring.RecordingResource.Third;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.annotation.RequestScope;
import org.springframework.web.context.request.async.DeferredResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(classes = RequestScopeWebTests.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RequestScopeWebTests {

	static final Map<String, Long> disposedAt = new ConcurrentHashMap<>();

	static final List<String> order = new CopyOnWriteArrayList<>();

	static final AtomicInteger requests = new AtomicInteger();

	static final AtomicReference<DeferredResult<String>> pending = new AtomicReference<>();

	/** Holds SlowResource's disposal until a test opens it (none: it takes 500 ms). */
	static final AtomicReference<CountDownLatch> disposalGate = new AtomicReference<>();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	DisposableRegistry registry;

	@BeforeEach
	void reset() {
		disposalGate.set(null);
		disposedAt.clear();
		order.clear();
	}

	@Test
	void slowDisposalDoesNotDelayTheResponseAndRunsAfterIt() throws Exception {
		get("/slow"); // warm-up
		await().atMost(10, TimeUnit.SECONDS).until(() -> disposedAt.size() == 1);
		disposedAt.clear();
		// The disposal is held until the response has arrived: a disposal that delayed
		// the
		// response would make the client wait for the gate's 10 s and then find it done.
		// (A response-time bound instead would fail on a loaded machine.)
		CountDownLatch gate = new CountDownLatch(1);
		disposalGate.set(gate);
		HttpResponse<String> response = get("/slow");
		long respondedAt = System.nanoTime();
		assertThat(response.statusCode()).isEqualTo(200);
		String id = response.body();
		assertThat(disposedAt).as("the response arrived while the disposal was still held")
			.doesNotContainKey("slow-" + id);
		gate.countDown();
		await().atMost(10, TimeUnit.SECONDS).until(() -> disposedAt.containsKey("slow-" + id));
		assertThat(disposedAt.get("slow-" + id)).isGreaterThan(respondedAt);
	}

	@Test
	void requestScopedBeansAreDisposedInReverseCreationOrderAsyncFirst() throws Exception {
		HttpResponse<String> response = get("/lifo");
		String id = response.body();
		await().atMost(10, TimeUnit.SECONDS).until(() -> order.size() == 3);
		assertThat(order).containsExactly("third-async-" + id, "second-sync-" + id, "first-async-" + id);
	}

	@Test
	void anAsyncRequestKeepsItsBeansUntilItCompletes() throws Exception {
		pending.set(null);
		CompletableFuture<HttpResponse<String>> response = this.http.sendAsync(request("/deferred"),
				HttpResponse.BodyHandlers.ofString());
		await().atMost(10, TimeUnit.SECONDS).until(() -> pending.get() != null);
		// the first dispatch has exited; the bean must survive until the async request
		// completes
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(disposedAt::isEmpty);
		pending.get().setResult("done");
		assertThat(response.get(10, TimeUnit.SECONDS).body()).startsWith("done-");
		await().atMost(10, TimeUnit.SECONDS).until(() -> disposedAt.size() == 1);
		assertThat(disposedAt.keySet()).singleElement().asString().startsWith("deferred-");
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(request(path), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.build();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		@RequestScope
		SlowResource slowResource() {
			return new SlowResource();
		}

		@Bean
		@RequestScope
		First first() {
			return new First(order);
		}

		@Bean
		@RequestScope
		Second second() {
			return new Second(order);
		}

		@Bean
		@RequestScope
		Third third() {
			return new Third(order);
		}

		@Bean
		Controller controller(SlowResource slow, First first, Second second, Third third) {
			return new Controller(slow, first, second, third);
		}

	}

	@RestController
	static class Controller {

		private final SlowResource slow;

		private final First first;

		private final Second second;

		private final Third third;

		Controller(SlowResource slow, First first, Second second, Third third) {
			this.slow = slow;
			this.first = first;
			this.second = second;
			this.third = third;
		}

		@GetMapping("/slow")
		String slow() {
			return this.slow.use("slow");
		}

		@GetMapping("/lifo")
		String lifo() {
			int id = requests.incrementAndGet();
			// methods, not fields: these are scoped proxies, and each call creates the
			// request's instance
			this.first.setId(id);
			this.second.setId(id);
			this.third.setId(id);
			return String.valueOf(id);
		}

		@GetMapping("/deferred")
		DeferredResult<String> deferred() {
			String id = this.slow.use("deferred");
			DeferredResult<String> result = new DeferredResult<>(30_000L);
			result.onCompletion(() -> {
			});
			DeferredResult<String> mapped = new DeferredResult<>(30_000L);
			result.setResultHandler((value) -> mapped.setResult(value + "-" + id));
			pending.set(result);
			return mapped;
		}

	}

	static class SlowResource implements AutoCloseable {

		private volatile String name = "unused";

		private final int id = requests.incrementAndGet();

		String use(String name) {
			this.name = name;
			return String.valueOf(this.id);
		}

		@Override
		public void close() throws InterruptedException {
			CountDownLatch gate = disposalGate.get();
			if (gate != null) {
				gate.await(10, TimeUnit.SECONDS); // held until the test has seen the
													// response
			}
			else {
				Thread.sleep(500); // the simulated work of a slow disposal
			}
			disposedAt.put(this.name + "-" + this.id, System.nanoTime());
		}

	}

}
