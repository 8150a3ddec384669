package dev.disposables.sample;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.disposables.DisposableBase;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * A telemetry client: events are batched in memory and written every
 * {@code sample.telemetry-flush-interval} as newline-delimited JSON, with asynchronous
 * file I/O ({@link AsynchronousFileChannel}: no thread waits for the disk).
 *
 * <p>
 * A singleton {@code AsyncDisposable}: at shutdown the starter calls
 * {@code disposeAsync()}, which stops the timer, writes the last batch and, once every
 * write has completed, closes the channel (an owned resource). Nothing recorded before
 * the shutdown is lost.
 */
@Component
public class TelemetryClient extends DisposableBase {

	private static final Log logger = LogFactory.getLog(TelemetryClient.class);

	private final SampleCounters counters;

	private final AsynchronousFileChannel channel;

	private final AtomicLong position;

	private final Queue<String> batch = new ConcurrentLinkedQueue<>();

	private final Set<CompletableFuture<Void>> writes = ConcurrentHashMap.newKeySet();

	private final AtomicLong batches = new AtomicLong();

	private final ScheduledExecutorService timer;

	public TelemetryClient(SampleProperties properties, SampleCounters counters) throws IOException {
		this.counters = counters;
		Files.createDirectories(properties.dataDir());
		this.channel = own(AsynchronousFileChannel.open(properties.telemetryFile(), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE));
		this.position = new AtomicLong(this.channel.size());
		this.timer = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "telemetry-flush");
			thread.setDaemon(true);
			return thread;
		});
		long interval = properties.telemetryFlushInterval().toMillis();
		this.timer.scheduleWithFixedDelay(this::flush, interval, interval, TimeUnit.MILLISECONDS);
	}

	/**
	 * Records an event; it is written with the next batch.
	 * @param type the event type
	 * @param detail a detail, written as a JSON string
	 * @throws dev.disposables.ObjectDisposedException after disposal
	 */
	public void record(String type, String detail) {
		throwIfDisposed();
		this.batch.add("{\"at\":\"" + Instant.now() + "\",\"type\":\"" + type + "\",\"detail\":\""
				+ detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}\n");
		this.counters.telemetryRecorded.incrementAndGet();
	}

	/**
	 * What the client did so far.
	 * @return recorded, written, batches, queued
	 */
	public Map<String, Long> stats() {
		return Map.of("recorded", this.counters.telemetryRecorded.get(), "written",
				this.counters.telemetryWritten.get(), "batches", this.batches.get(), "queued",
				(long) this.batch.size());
	}

	/**
	 * Writes what has been recorded since the last batch; runs on the timer thread only.
	 * @return a future that completes when the batch has been written
	 */
	private CompletableFuture<Void> flush() {
		StringBuilder lines = new StringBuilder();
		int count = 0;
		for (String line = this.batch.poll(); line != null; line = this.batch.poll()) {
			lines.append(line);
			count++;
		}
		if (count == 0) {
			return CompletableFuture.completedFuture(null);
		}
		ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
		long at = this.position.getAndAdd(bytes.remaining());
		CompletableFuture<Void> write = new CompletableFuture<>();
		this.writes.add(write);
		int written = count;
		write.whenComplete((ignored, failure) -> {
			this.writes.remove(write);
			if (failure == null) {
				this.counters.telemetryWritten.addAndGet(written);
				this.batches.incrementAndGet();
			}
			else {
				logger.warn("Telemetry batch of " + written + " events could not be written", failure);
			}
		});
		writeFully(bytes, at, write);
		return write;
	}

	private void writeFully(ByteBuffer bytes, long at, CompletableFuture<Void> done) {
		this.channel.write(bytes, at, null, new CompletionHandler<Integer, Void>() {
			@Override
			public void completed(Integer count, Void attachment) {
				if (bytes.hasRemaining()) {
					writeFully(bytes, at + count, done);
				}
				else {
					done.complete(null);
				}
			}

			@Override
			public void failed(Throwable failure, Void attachment) {
				done.completeExceptionally(failure);
			}
		});
	}

	/**
	 * Writes the last batch: queued on the timer thread behind a flush that may be
	 * running, then the timer is stopped; completes when every write has reached the
	 * file. The channel is closed afterwards (it is owned).
	 */
	@Override
	protected CompletionStage<?> disposeAsyncCore() {
		CompletableFuture<Void> last = CompletableFuture.supplyAsync(this::flush, this.timer)
			.thenCompose((write) -> CompletableFuture.allOf(this.writes.toArray(CompletableFuture<?>[]::new)));
		this.timer.shutdown();
		return last;
	}

}
