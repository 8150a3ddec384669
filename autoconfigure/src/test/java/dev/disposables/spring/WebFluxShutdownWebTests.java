package dev.disposables.spring;

import java.io.InputStream;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Scope;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shutdown of a WebFlux application with exchanges in flight: their scopes' disposals
 * complete before the singleton they use is disposed — exchanges that the graceful
 * shutdown lets finish, and streams still open when the server stops.
 */
class WebFluxShutdownWebTests {

	@Test
	void exchangesDrainedByGracefulShutdownAreDisposedBeforeTheSingletonsTheyUse() throws Exception {
		Events events = new Events();
		ConfigurableApplicationContext context = start(events, "graceful");
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		int exchanges = 5;
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < exchanges; i++) {
			responses
				.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/slow")).build(),
						HttpResponse.BodyHandlers.ofString()));
		}
		await().atMost(10, TimeUnit.SECONDS).until(() -> events.started.get() == exchanges);

		context.close(); // returns once the server has drained and everything has been
							// disposed

		for (CompletableFuture<HttpResponse<String>> response : responses) {
			assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		}
		assertThat(events.log).filteredOn((event) -> event.startsWith("exchange-closed")).hasSize(exchanges);
		assertThat(events.log).last().isEqualTo("backend-closed");
		assertThat(events.log).noneMatch((event) -> event.contains("backend already closed"));
		assertThat(events.disposalThreads).noneMatch((thread) -> thread.contains("-http-"));
	}

	@Test
	void streamsStillOpenWhenTheServerStopsAreDisposedBeforeTheSingletonsTheyUse() throws Exception {
		Events events = new Events();
		ConfigurableApplicationContext context = start(events, "immediate");
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		int streams = 3;
		List<Socket> sockets = new ArrayList<>();
		try {
			for (int i = 0; i < streams; i++) {
				Socket socket = new Socket("localhost", port);
				OutputStream out = socket.getOutputStream();
				out.write(("GET /stream HTTP/1.1\r\nHost: localhost:" + port + "\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
				out.flush();
				sockets.add(socket);
			}
			await().atMost(10, TimeUnit.SECONDS).until(() -> events.started.get() == streams);
			for (Socket socket : sockets) {
				InputStream in = socket.getInputStream();
				assertThat(in.read()).as("the stream has started").isNotNegative();
			}

			// Reactor Netty closes the open connections (a few seconds with streams that
			// never end); the streams'
			// scopes are disposed either on that cancel or, if still open, by the
			// shutdown itself.
			context.close();

			assertThat(events.log).filteredOn((event) -> event.startsWith("exchange-closed")).hasSize(streams);
			assertThat(events.log).last().isEqualTo("backend-closed");
			assertThat(events.log).noneMatch((event) -> event.contains("backend already closed"));
			assertThat(events.disposalThreads).noneMatch((thread) -> thread.contains("-http-"));
		}
		finally {
			for (Socket socket : sockets) {
				socket.close();
			}
		}
	}

	private static ConfigurableApplicationContext start(Events events, String shutdown) {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.REACTIVE)
			.registerShutdownHook(false)
			.initializers((context) -> context.getBeanFactory().registerSingleton("events", events))
			.properties("server.port=0", "server.shutdown=" + shutdown, "spring.main.banner-mode=off")
			.run();
	}

	static final class Events {

		final List<String> log = new CopyOnWriteArrayList<>();

		final List<String> disposalThreads = new CopyOnWriteArrayList<>();

		final AtomicInteger started = new AtomicInteger();

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		Backend backend(Events events) {
			return new Backend(events);
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		ExchangeClient exchangeClient(Backend backend, Events events) {
			return new ExchangeClient(backend, events);
		}

		@Bean
		Controller controller(Events events) {
			return new Controller(events);
		}

	}

	@RestController
	static class Controller {

		private final Events events;

		Controller(Events events) {
			this.events = events;
		}

		@GetMapping("/slow")
		Mono<String> slow(DisposalScope scope) {
			// a prototype resolved from the exchange's scope (no automatic context
			// propagation needed): owned by it
			scope.getBean(ExchangeClient.class).use();
			this.events.started.incrementAndGet();
			return Mono.delay(Duration.ofMillis(1000)).map((tick) -> "done");
		}

		@GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
		Flux<String> stream(DisposalScope scope) {
			scope.getBean(ExchangeClient.class).use();
			this.events.started.incrementAndGet();
			// A slow client drops ticks rather than ending the stream with an overflow.
			return Flux.interval(Duration.ofMillis(50)).onBackpressureDrop().map((tick) -> "tick-" + tick);
		}

	}

	/** A singleton the exchanges' resources need for their own disposal. */
	static class Backend implements AutoCloseable {

		private final Events events;

		private volatile boolean closed;

		Backend(Events events) {
			this.events = events;
		}

		void flush(String what) {
			this.events.log.add(this.closed ? what + ": backend already closed" : what);
		}

		@Override
		public void close() {
			this.closed = true;
			this.events.log.add("backend-closed");
		}

	}

	static class ExchangeClient implements AutoCloseable {

		private final Backend backend;

		private final Events events;

		ExchangeClient(Backend backend, Events events) {
			this.backend = backend;
			this.events = events;
		}

		void use() {
		}

		@Override
		public void close() throws InterruptedException {
			Thread.sleep(200); // the simulated work of a slow disposal
			this.events.disposalThreads.add(Thread.currentThread().getName());
			this.backend.flush("exchange-closed");
		}

	}

}
