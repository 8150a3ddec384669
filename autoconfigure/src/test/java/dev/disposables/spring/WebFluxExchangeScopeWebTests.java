package dev.disposables.spring;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.disposables.spring.RecordingResource.First;
import dev.disposables.spring.RecordingResource.Second;
import dev.disposables.spring.RecordingResource.Third;
import dev.disposables.spring.web.reactive.DisposalScopeWebFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Scope;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Per-exchange disposal scopes against a real Netty server: every way an exchange ends
 * (response written, error, client cancel before the response, server-sent events cut by
 * the client), many concurrent exchanges, and on which threads the disposals run. The
 * test class path also has Spring MVC and Tomcat: the reactive stack is chosen with
 * {@code spring.main.web-application-type}, and Reactor's automatic context propagation
 * is turned on the way an application does it
 * ({@code spring.reactor.context-propagation=auto}).
 */
@SpringBootTest(classes = WebFluxExchangeScopeWebTests.App.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "spring.reactor.context-propagation=auto" })
class WebFluxExchangeScopeWebTests {

	static final AtomicInteger ids = new AtomicInteger();

	/**
	 * Resource id to the disposal of it (one entry per close() call, so a second disposal
	 * shows).
	 */
	static final Map<Integer, List<Closed>> closed = new ConcurrentHashMap<>();

	static final Map<Integer, Long> started = new ConcurrentHashMap<>();

	static final List<String> order = new CopyOnWriteArrayList<>();

	static final List<String> violations = new CopyOnWriteArrayList<>();

	static final Map<Integer, Closed> handlerThreads = new ConcurrentHashMap<>();

	static final AtomicLong lastEventSentAt = new AtomicLong();

	/**
	 * Holds the slow resource's disposal until a test opens it (none: it takes 500 ms).
	 */
	static final AtomicReference<CountDownLatch> slowDisposalGate = new AtomicReference<>();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	int port;

	@Autowired
	WebServerApplicationContext context;

	@Autowired
	DisposalScopeWebFilter filter;

	@Autowired
	DisposalScopes scopes;

	WebTestClient client;

	@BeforeAll
	static void contextPropagation() {
		// Also turned on by the application (spring.reactor.context-propagation=auto);
		// here as well, so that the
		// order of test classes sharing the JVM does not matter, and off again
		// afterwards.
		Hooks.enableAutomaticContextPropagation();
	}

	@AfterAll
	static void noContextPropagation() {
		Hooks.disableAutomaticContextPropagation();
	}

	@BeforeEach
	void reset() {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		closed.clear();
		started.clear();
		order.clear();
		violations.clear();
		slowDisposalGate.set(null);
	}

	@Test
	void theServerIsReactorNetty() {
		assertThat(this.context.getWebServer().getClass().getSimpleName()).isEqualTo("NettyWebServer");
	}

	@Test
	void completedExchangeDisposesItsScopedBeanAfterTheResponseOffTheEventLoop() {
		long before = System.nanoTime();
		int id = Integer.parseInt(okBody(this.client.get().uri("/mono")));
		await().atMost(10, TimeUnit.SECONDS).until(() -> closed.containsKey(id));
		Closed disposal = closed.get(id).get(0);
		// the check below means something: the handler itself ran on a Netty event loop
		assertThat(handlerThreads.get(id).thread()).contains("-http-");
		assertThat(handlerThreads.get(id).nonBlockingThread()).isTrue();
		assertThat(disposal.at()).isGreaterThan(before);
		assertThat(disposal.at()).as("disposed after the handler's last use").isGreaterThan(started.get(id));
		assertOffTheEventLoop(disposal);
		await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> closed.get(id).size() == 1);
	}

	@Test
	void slowDisposalDoesNotDelayTheResponse() {
		// The disposal is held until the response has arrived: a disposal that delayed
		// the
		// response would make the client wait for the gate's 10 s and then find it done.
		// (A response-time bound instead would fail on a loaded machine.)
		CountDownLatch gate = new CountDownLatch(1);
		slowDisposalGate.set(gate);
		int id = Integer.parseInt(okBody(this.client.get().uri("/slow-disposal")));
		assertThat(closed).as("the response arrived while its scope's disposal was still held").doesNotContainKey(id);
		gate.countDown();
		await().atMost(10, TimeUnit.SECONDS).until(() -> closed.containsKey(id));
		assertOffTheEventLoop(closed.get(id).get(0));
	}

	@Test
	void scopedBeansAreDisposedInReverseCreationOrderAsyncFirst() {
		String id = okBody(this.client.get().uri("/order"));
		await().atMost(10, TimeUnit.SECONDS).until(() -> order.size() == 3);
		assertThat(order).containsExactly("third-async-" + id, "second-sync-" + id, "first-async-" + id);
	}

	@Test
	void failedExchangeDisposesItsScope() {
		this.client.get().uri("/error").exchange().expectStatus().is5xxServerError();
		await().atMost(10, TimeUnit.SECONDS).until(() -> closed.size() == 1);
		Closed disposal = closed.values().iterator().next().get(0);
		assertOffTheEventLoop(disposal);
	}

	@Test
	void threadLocalReadersSeeTheExchangeScopeAfterTheBodyWasReadAndAfterAThreadHop() {
		String body = okBody(this.client.post().uri("/body").bodyValue("payload"));
		String[] parts = body.split(",");
		assertThat(parts[0]).isEqualTo("payload");
		// the same instance before and after the hop: one scope for the whole exchange
		assertThat(parts[1]).isEqualTo(parts[2]);
		await().atMost(10, TimeUnit.SECONDS).until(() -> closed.containsKey(Integer.parseInt(parts[1])));
	}

	@Test
	void handlerGetsTheExchangeScopeAsArgumentAttributeAndFromTheReactorContext() {
		String body = okBody(this.client.get().uri("/explicit"));
		assertThat(body).isEqualTo("same-scope");
		// the prototype resolved from the exchange's scope is disposed with it
		await().atMost(10, TimeUnit.SECONDS).until(() -> order.contains("prototype"));
	}

	@Test
	void clientCancellingBeforeTheResponseDisposesTheScopeAtOnce() throws Exception {
		long cutAt;
		try (Socket socket = new Socket("localhost", this.port)) {
			send(socket, "/hang");
			await().atMost(10, TimeUnit.SECONDS).until(() -> started.size() == 1);
			assertThat(closed).isEmpty();
			// read before the socket is closed: a fast server may dispose as soon as it
			// sees
			// the close, so a time read after it could come later than the disposal
			cutAt = System.nanoTime();
		}
		int id = started.keySet().iterator().next();
		// the handler would wait 60 s: disposal comes from the cancel, not from the
		// handler
		await().atMost(5, TimeUnit.SECONDS).until(() -> closed.containsKey(id));
		assertThat(closed.get(id).get(0).at()).isGreaterThan(cutAt);
		assertOffTheEventLoop(closed.get(id).get(0));
	}

	@Test
	void serverSentEventsKeepTheScopeUntilTheClientCutsTheStream() throws Exception {
		long cutAt;
		int id;
		try (Socket socket = new Socket("localhost", this.port)) {
			send(socket, "/sse");
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			int events = 0;
			while (events < 10) {
				String line = reader.readLine();
				assertThat(line).as("stream still open").isNotNull();
				if (line.startsWith("data:")) {
					events++;
				}
			}
			id = started.keySet().iterator().next();
			// streaming for half a second now: the scope must still be open
			assertThat(closed).as("nothing disposed while the body is streaming").isEmpty();
			assertThat(this.scopes.openCount()).isPositive();
			cutAt = System.nanoTime();
		}
		await().atMost(10, TimeUnit.SECONDS).until(() -> closed.containsKey(id));
		Closed disposal = closed.get(id).get(0);
		assertThat(disposal.at()).as("disposed after the cut").isGreaterThan(cutAt);
		assertOffTheEventLoop(disposal);
		await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> closed.get(id).size() == 1);
	}

	@Test
	void finiteServerSentEventsDisposeTheScopeOnlyAfterTheLastEvent() {
		List<String> events = this.client.get()
			.uri("/sse-finite")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseBody()
			.collectList()
			.block(Duration.ofSeconds(30));
		assertThat(events).hasSize(5);
		int id = started.keySet().iterator().next();
		await().atMost(10, TimeUnit.SECONDS).until(() -> closed.containsKey(id));
		assertThat(closed.get(id).get(0).at()).isGreaterThan(lastEventSentAt.get());
	}

	@Test
	void streamFailingMidwayDisposesTheScope() {
		this.client.get()
			.uri("/sse-failing")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.returnResult(String.class)
			.getResponseBody()
			.onErrorComplete()
			.collectList()
			.block(Duration.ofSeconds(30));
		await().atMost(10, TimeUnit.SECONDS).until(() -> closed.size() == 1);
		assertThat(closed.values().iterator().next()).hasSize(1);
	}

	@Test
	void manyConcurrentExchangesAreEachDisposedExactlyOnceAndNoneEarly() throws Exception {
		int exchanges = 200;
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < exchanges; i++) {
			responses.add(this.http.sendAsync(HttpRequest.newBuilder(uri("/concurrent")).build(),
					HttpResponse.BodyHandlers.ofString()));
		}
		List<Integer> served = new ArrayList<>();
		for (CompletableFuture<HttpResponse<String>> response : responses) {
			HttpResponse<String> result = response.get(60, TimeUnit.SECONDS);
			assertThat(result.statusCode()).isEqualTo(200);
			served.add(Integer.parseInt(result.body()));
		}
		assertThat(served).doesNotHaveDuplicates();
		await().atMost(30, TimeUnit.SECONDS).until(() -> closed.keySet().containsAll(served));
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(5))
			.until(() -> closed.values().stream().allMatch((each) -> each.size() == 1));
		assertThat(closed).hasSize(exchanges);
		assertThat(violations).isEmpty();
		closed.values().forEach((each) -> assertOffTheEventLoop(each.get(0)));
		await().atMost(10, TimeUnit.SECONDS).until(() -> this.filter.inFlightCount() == 0);
	}

	/**
	 * Sends a request that must succeed.
	 * @param request the request
	 * @return the response body
	 */
	private static String okBody(WebTestClient.RequestHeadersSpec<?> request) {
		return request.exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
	}

	private static void assertOffTheEventLoop(Closed disposal) {
		assertThat(disposal.thread()).as("thread of a sync disposal")
			.startsWith("disposables-dispose-")
			.doesNotContain("-http-");
		assertThat(disposal.nonBlockingThread()).as("sync disposal on a non-blocking thread").isFalse();
	}

	private void send(Socket socket, String path) throws Exception {
		OutputStream out = socket.getOutputStream();
		out.write(
				("GET " + path + " HTTP/1.1\r\nHost: localhost:" + this.port + "\r\nAccept: text/event-stream\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
		out.flush();
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	/** When and on which thread something happened. */
	record Closed(long at, String thread, boolean nonBlockingThread) {

		static Closed now() {
			return new Closed(System.nanoTime(), Thread.currentThread().getName(), Schedulers.isInNonBlockingThread());
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		@DisposalScoped
		ExchangeResource exchangeResource() {
			return new ExchangeResource();
		}

		@Bean
		@DisposalScoped
		SlowExchangeResource slowExchangeResource() {
			return new SlowExchangeResource();
		}

		@Bean
		@DisposalScoped
		First first() {
			return new First(order);
		}

		@Bean
		@DisposalScoped
		Second second() {
			return new Second(order);
		}

		@Bean
		@DisposalScoped
		Third third() {
			return new Third(order);
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		RecordingResource prototype() {
			return new RecordingResource("prototype", order);
		}

		@Bean
		Controller controller(ExchangeResource resource, SlowExchangeResource slow, First first, Second second,
				Third third) {
			return new Controller(resource, slow, first, second, third);
		}

	}

	@RestController
	static class Controller {

		private final ExchangeResource resource;

		private final SlowExchangeResource slow;

		private final First first;

		private final Second second;

		private final Third third;

		Controller(ExchangeResource resource, SlowExchangeResource slow, First first, Second second, Third third) {
			this.resource = resource;
			this.slow = slow;
			this.first = first;
			this.second = second;
			this.third = third;
		}

		@GetMapping("/mono")
		Mono<String> mono() {
			// through the scoped proxy: the exchange's scope is current on the event loop
			// here
			int id = this.resource.begin();
			handlerThreads.put(id, Closed.now());
			return Mono.delay(Duration.ofMillis(20))
				.map((tick) -> String.valueOf(this.resource.end()))
				.doOnNext((ignored) -> started.put(id, System.nanoTime()));
		}

		@GetMapping("/slow-disposal")
		String slowDisposal() {
			return String.valueOf(this.slow.id());
		}

		@GetMapping("/order")
		String order() {
			int id = ids.incrementAndGet();
			this.first.setId(id);
			this.second.setId(id);
			this.third.setId(id);
			return String.valueOf(id);
		}

		@GetMapping("/error")
		Mono<String> error() {
			this.resource.begin();
			return Mono.error(new IllegalStateException("simulated failure"));
		}

		@PostMapping("/body")
		Mono<String> body(@RequestBody String body) {
			// resolved after the body was read (a later Netty signal), then again after a
			// hop to another scheduler
			int before = this.resource.begin();
			return Mono.fromCallable(() -> this.resource.end())
				.subscribeOn(Schedulers.boundedElastic())
				.map((after) -> body + "," + before + "," + after);
		}

		@GetMapping("/explicit")
		Mono<String> explicit(DisposalScope argument, ServerWebExchange exchange) {
			argument.getBean(RecordingResource.class);
			return ReactiveDisposalScopes.current()
				.map((fromContext) -> (fromContext == argument && DisposalScopeWebFilter.getScope(exchange) == argument)
						? "same-scope" : "different-scopes");
		}

		@GetMapping("/hang")
		Mono<String> hang() {
			int id = this.resource.begin();
			started.put(id, System.nanoTime());
			return Mono.delay(Duration.ofSeconds(60)).map((tick) -> "too late");
		}

		@GetMapping(path = "/sse", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
		Flux<ServerSentEvent<String>> sse() {
			int id = this.resource.begin();
			started.put(id, System.nanoTime());
			// Ticks a slow client cannot take are dropped: without that, Flux.interval
			// ends the stream with an overflow error on a loaded machine.
			return Flux.interval(Duration.ofMillis(50))
				.onBackpressureDrop()
				.map((tick) -> ServerSentEvent.builder(id + "-" + tick).build());
		}

		@GetMapping(path = "/sse-finite", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
		Flux<String> sseFinite() {
			int id = this.resource.begin();
			started.put(id, System.nanoTime());
			return Flux.interval(Duration.ofMillis(100))
				.onBackpressureDrop()
				.take(5)
				.map((tick) -> id + "-" + tick)
				.doOnNext((event) -> lastEventSentAt.set(System.nanoTime()));
		}

		@GetMapping(path = "/sse-failing", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
		Flux<String> sseFailing() {
			int id = this.resource.begin();
			return Flux.interval(Duration.ofMillis(50)).onBackpressureDrop().map((tick) -> {
				if (tick == 3) {
					throw new IllegalStateException("simulated failure mid-stream");
				}
				return id + "-" + tick;
			});
		}

		@GetMapping("/concurrent")
		Mono<String> concurrent() {
			int id = this.resource.begin();
			// each exchange uses its bean for a different time, so that completions
			// interleave
			return Mono.delay(Duration.ofMillis(ThreadLocalRandom.current().nextInt(1, 50)))
				.map((tick) -> String.valueOf(this.resource.end()))
				.doOnNext((ignored) -> started.put(id, System.nanoTime()));
		}

	}

	/**
	 * A scoped resource with a sync close(): the disposal that must never run on an event
	 * loop.
	 */
	abstract static class TrackedResource implements AutoCloseable {

		private final int id = ids.incrementAndGet();

		private final long closeMillis;

		private volatile boolean inUse;

		private volatile boolean disposed;

		TrackedResource(long closeMillis) {
			this.closeMillis = closeMillis;
		}

		int id() {
			return this.id;
		}

		int begin() {
			if (this.disposed) {
				violations.add("used after disposal: " + this.id);
			}
			this.inUse = true;
			return this.id;
		}

		int end() {
			if (this.disposed) {
				violations.add("used after disposal: " + this.id);
			}
			this.inUse = false;
			return this.id;
		}

		@Override
		public void close() throws InterruptedException {
			CountDownLatch gate = slowDisposalGate.get();
			if (this.closeMillis > 0 && gate != null) {
				gate.await(10, TimeUnit.SECONDS); // held until the test has seen the
													// response
			}
			else if (this.closeMillis > 0) {
				Thread.sleep(this.closeMillis); // the simulated work of a slow disposal
			}
			if (this.inUse && started.containsKey(this.id) && !this.disposed) {
				violations.add("disposed while in use: " + this.id);
			}
			this.disposed = true;
			closed.computeIfAbsent(this.id, (key) -> new CopyOnWriteArrayList<>()).add(Closed.now());
		}

	}

	static class ExchangeResource extends TrackedResource {

		ExchangeResource() {
			super(0);
		}

	}

	static class SlowExchangeResource extends TrackedResource {

		SlowExchangeResource() {
			super(500);
		}

	}

}
