package dev.disposables.spring.adapter;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpServer;
import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposalAdaptersAutoConfiguration;
import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposableResource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the adapter tests share: the starter with its built-in adapters, and helpers over
 * the registry.
 */
final class AdapterTestSupport {

	private AdapterTestSupport() {
	}

	static ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(
				AutoConfigurations.of(DisposablesAutoConfiguration.class, DisposalAdaptersAutoConfiguration.class));
	}

	/** Asserts the bean is managed by the named adapter. */
	static DisposableResource assertAdapted(ApplicationContext context, String beanName, String adapter) {
		List<DisposableResource> resources = context.getBean(DisposableRegistry.class).resources();
		DisposableResource resource = resources.stream()
			.filter((candidate) -> candidate.beanName().equals(beanName))
			.findFirst()
			.orElseThrow(() -> new AssertionError("Bean '" + beanName + "' is not managed"));
		assertThat(resource.adapter()).isEqualTo(adapter);
		return resource;
	}

	/**
	 * Starts a local HTTP server that answers every request with {@code 200 ok}, each on
	 * a thread of its own.
	 * @param onRequest runs when a request arrives, before the answer
	 * @param delay how long to wait before answering (a call in flight)
	 * @return the started server, on a random port of the loopback address
	 * @throws IOException if the server cannot be started
	 */
	static HttpServer startOkServer(Runnable onRequest, Duration delay) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.setExecutor(Executors.newCachedThreadPool());
		server.createContext("/", (exchange) -> {
			onRequest.run();
			try {
				Thread.sleep(delay.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
		return server;
	}

	/** Names of the live threads whose name starts with one of the prefixes. */
	static Set<String> liveThreads(String... prefixes) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> {
				for (String prefix : prefixes) {
					if (name.startsWith(prefix)) {
						return true;
					}
				}
				return false;
			})
			.collect(Collectors.toSet());
	}

}
