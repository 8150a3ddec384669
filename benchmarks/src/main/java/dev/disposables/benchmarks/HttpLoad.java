package dev.disposables.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A closed-loop HTTP load: a fixed number of workers, each sending its next request when
 * the previous response has arrived, over kept-alive HTTP/1.1 connections — what a pool
 * of upstream callers does. Latency is measured per request, from send to the complete
 * response.
 */
final class HttpLoad implements AutoCloseable {

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final ExecutorService workers;

	private final int concurrency;

	HttpLoad(int concurrency) {
		this.concurrency = concurrency;
		this.workers = Executors.newFixedThreadPool(concurrency, (runnable) -> {
			Thread thread = new Thread(runnable, "http-load");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Sends {@code requests} requests and returns each one's latency in milliseconds.
	 * @param uri what to get
	 * @param requests how many
	 * @return the latencies, in the order the requests were started
	 */
	double[] run(URI uri, int requests) throws InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build();
		double[] latencies = new double[requests];
		AtomicInteger next = new AtomicInteger();
		List<Future<?>> running = new ArrayList<>();
		for (int i = 0; i < this.concurrency; i++) {
			running.add(this.workers.submit(() -> {
				for (int index = next.getAndIncrement(); index < requests; index = next.getAndIncrement()) {
					latencies[index] = send(request);
				}
				return null;
			}));
		}
		for (Future<?> worker : running) {
			try {
				worker.get();
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException("Load failed", ex.getCause());
			}
		}
		return latencies;
	}

	private double send(HttpRequest request) throws IOException, InterruptedException {
		long start = System.nanoTime();
		HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
		double millis = (System.nanoTime() - start) / 1e6;
		if (response.statusCode() != 200 || !"ok".equals(response.body())) {
			throw new IllegalStateException("Unexpected response " + response.statusCode() + ": " + response.body());
		}
		return millis;
	}

	@Override
	public void close() {
		this.workers.shutdownNow();
	}

}
