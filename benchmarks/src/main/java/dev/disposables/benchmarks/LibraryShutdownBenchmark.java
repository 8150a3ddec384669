package dev.disposables.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.r2dbc.h2.H2ConnectionFactory;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Shutdown of an application holding the resources real applications hold, declared as
 * Spring Boot declares them: a Netty event loop group (busy with a task when the context
 * closes), an R2DBC connection pool over an embedded H2 database
 * ({@code destroyMethod = "dispose"}), Lettuce client resources
 * ({@code destroyMethod = "shutdown"}) and a Lettuce client with resources of its own
 * (event loops started by a connection attempt to a closed local port: no Redis server),
 * and an in-process gRPC server and channel with a call in flight. Each application is
 * closed with stock Spring and with the starter, alternating in the same JVM; prints the
 * time to close and what was still running when {@code close()} returned.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.disposables.benchmarks.LibraryShutdownBenchmark \
 *     [--repetitions=10] [--grpc-call-ms=200] [--netty-task-ms=100] [--smoke]
 * </pre>
 */
public final class LibraryShutdownBenchmark {

	/**
	 * Thread name prefixes of the libraries, as they name their threads (the Netty
	 * group's is this benchmark's).
	 */
	static final List<String> LIBRARY_THREADS = List.of("bench-netty", "lettuce-");

	private static final ScheduledExecutorService RESPONSES = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "benchmark-grpc-responses");
		thread.setDaemon(true);
		return thread;
	});

	private static final MethodDescriptor.Marshaller<String> STRINGS = new MethodDescriptor.Marshaller<>() {

		@Override
		public InputStream stream(String value) {
			return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public String parse(InputStream stream) {
			try {
				return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	};

	private static final MethodDescriptor<String, String> SLOW = MethodDescriptor.<String, String>newBuilder()
		.setType(MethodDescriptor.MethodType.UNARY)
		.setFullMethodName(MethodDescriptor.generateFullMethodName("bench.Slow", "call"))
		.setRequestMarshaller(STRINGS)
		.setResponseMarshaller(STRINGS)
		.build();

	private static final AtomicInteger runs = new AtomicInteger();

	private LibraryShutdownBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		run(Options.of(new Args(args)), System.out);
		System.exit(0); // the libraries' shared pools (gRPC's executor, Netty's global
						// executor) linger otherwise
	}

	/**
	 * Runs both variants and prints the table.
	 * @param options what to run
	 * @param out where to print
	 * @return stock Spring's result, then the starter's
	 */
	static List<Result> run(Options options, PrintStream out) throws Exception {
		out.printf(
				"Library shutdown: Netty group (task of %d ms running), R2DBC pool over H2, Lettuce client "
						+ "resources and client, gRPC in-process server and channel (call of %d ms in flight); "
						+ "%d repetitions, Java %s, %d CPUs%n",
				options.nettyTaskMillis(), options.grpcCallMillis(), options.repetitions(), Runtime.version(),
				Runtime.getRuntime().availableProcessors());
		if (options.repetitions() > 1) {
			closeOnce(false, options); // class loading and JIT of both close paths are
										// not what is measured
			closeOnce(true, options);
		}
		List<Close> stock = new ArrayList<>();
		List<Close> starter = new ArrayList<>();
		for (int rep = 0; rep < options.repetitions(); rep++) {
			boolean starterFirst = rep % 2 == 1;
			Close first = closeOnce(starterFirst, options);
			Close second = closeOnce(!starterFirst, options);
			(starterFirst ? starter : stock).add(first);
			(starterFirst ? stock : starter).add(second);
		}
		List<Result> results = List.of(new Result(false, stock), new Result(true, starter));
		for (Result result : results) {
			print(result, out);
		}
		return results;
	}

	private static void print(Result result, PrintStream out) {
		Stats millis = result.millis();
		int n = result.closes().size();
		out.printf(
				"%-12s close %7.1f ms [%.1f-%.1f]  after close(): library threads alive in %d/%d "
						+ "(max %d), gRPC call in flight in %d/%d, gRPC terminated in %d/%d, Netty group terminated in "
						+ "%d/%d, R2DBC pool disposed in %d/%d, extra open sockets max %d%n",
				result.starter() ? "starter" : "stock Spring", millis.median(), millis.min(), millis.max(),
				result.count((close) -> close.libraryThreads() > 0), n,
				result.closes().stream().mapToInt(Close::libraryThreads).max().orElse(0),
				result.count(Close::grpcCallInFlight), n, result.count(Close::grpcTerminated), n,
				result.count(Close::nettyTerminated), n, result.count(Close::poolDisposed), n,
				result.closes().stream().mapToInt(Close::openSockets).max().orElse(0));
	}

	static Close closeOnce(boolean starter, Options options) throws Exception {
		awaitLibraryThreadsGone();
		int socketsBefore = openSockets();
		int run = runs.incrementAndGet();
		Holder holder = new Holder();
		ConfigurableApplicationContext context = Apps.start(starter, Map.of(),
				(registry) -> registerBeans(registry, run, holder));
		Resources resources = use(context, holder, options);
		long start = System.nanoTime();
		context.close();
		double millis = (System.nanoTime() - start) / 1e6;
		int threads = libraryThreads();
		boolean inFlight = !resources.call().isDone();
		boolean grpcTerminated = resources.channel().isTerminated() && resources.server().isTerminated();
		boolean nettyTerminated = resources.group().isTerminated();
		boolean poolDisposed = resources.pool().isDisposed();
		int sockets = (socketsBefore >= 0) ? openSockets() - socketsBefore : -1;
		// Whatever stock Spring left running is stopped now, so that the next close
		// starts from the same place.
		resources.channel().shutdownNow();
		resources.server().shutdownNow();
		resources.group().shutdownGracefully(0, 1, TimeUnit.SECONDS);
		return new Close(millis, threads, inFlight, grpcTerminated, nettyTerminated, poolDisposed, sockets);
	}

	private static Resources use(ConfigurableApplicationContext context, Holder holder, Options options)
			throws Exception {
		holder.callMillis = options.grpcCallMillis();
		MultiThreadIoEventLoopGroup group = context.getBean(MultiThreadIoEventLoopGroup.class);
		CountDownLatch taskStarted = new CountDownLatch(1);
		group.next().execute(() -> {
			taskStarted.countDown();
			sleep(options.nettyTaskMillis());
		});
		ConnectionPool pool = context.getBean(ConnectionPool.class);
		// Two connections in the pool, used and returned.
		Flux.range(0, 2)
			.flatMap((i) -> Mono.usingWhen(pool.create(),
					(connection) -> Mono.from(connection.createStatement("SELECT 1").execute())
						.flatMap((result) -> Mono.from(result.map((row, metadata) -> row.get(0)))),
					Connection::close))
			.blockLast();
		RedisClient client = context.getBean(RedisClient.class);
		try {
			client.connect().close();
		}
		catch (RuntimeException ex) {
			// Expected: nothing listens there. The attempt started the client's event
			// loops.
		}
		ManagedChannel channel = context.getBean(ManagedChannel.class);
		ListenableFuture<String> call = ClientCalls.futureUnaryCall(channel.newCall(SLOW, CallOptions.DEFAULT), "go");
		holder.received.await(10, TimeUnit.SECONDS);
		taskStarted.await(10, TimeUnit.SECONDS);
		return new Resources(group, pool, channel, context.getBean(Server.class), call);
	}

	private static void registerBeans(GenericApplicationContext context, int run, Holder holder) {
		context.registerBean("eventLoopGroup", MultiThreadIoEventLoopGroup.class,
				() -> new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("bench-netty-" + run),
						NioIoHandler.newFactory()));
		// As Spring Boot's R2DBC and Redis auto-configurations declare them.
		context.registerBean("connectionFactory", ConnectionPool.class,
				() -> new ConnectionPool(
						ConnectionPoolConfiguration.builder(H2ConnectionFactory.inMemory("bench-" + run))
							.initialSize(2)
							.maxSize(4)
							.build()),
				(definition) -> definition.setDestroyMethodName("dispose"));
		context.registerBean("lettuceClientResources", ClientResources.class,
				() -> DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build(),
				(definition) -> definition.setDestroyMethodName("shutdown"));
		int closedPort = closedPort();
		context.registerBean("redisClient", RedisClient.class,
				() -> RedisClient.create(RedisURI.create("redis://127.0.0.1:" + closedPort)));
		String name = "bench-" + run;
		context.registerBean("grpcServer", Server.class, () -> startServer(name, holder));
		context.registerBean("grpcChannel", ManagedChannel.class, () -> InProcessChannelBuilder.forName(name).build());
	}

	private static Server startServer(String name, Holder holder) {
		ServerServiceDefinition service = ServerServiceDefinition.builder("bench.Slow")
			.addMethod(SLOW, ServerCalls.asyncUnaryCall((request, observer) -> {
				holder.received.countDown();
				RESPONSES.schedule(() -> {
					observer.onNext("done");
					observer.onCompleted();
				}, holder.callMillis, TimeUnit.MILLISECONDS);
			}))
			.build();
		try {
			return InProcessServerBuilder.forName(name).addService(service).build().start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A local port nothing listens on.
	 * @return the port
	 */
	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static int libraryThreads() {
		int count = 0;
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (thread.isAlive() && LIBRARY_THREADS.stream().anyMatch(thread.getName()::startsWith)) {
				count++;
			}
		}
		return count;
	}

	/**
	 * Lets what the previous close left running end, so that each close is judged on its
	 * own threads only.
	 */
	private static void awaitLibraryThreadsGone() {
		long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (libraryThreads() > 0 && System.nanoTime() < until) {
			sleep(10);
		}
	}

	/**
	 * Sockets this process has open (Linux).
	 * @return how many, or -1 where that cannot be read
	 */
	static int openSockets() {
		Path fds = Path.of("/proc/self/fd");
		if (!Files.isDirectory(fds)) {
			return -1;
		}
		try (Stream<Path> entries = Files.list(fds)) {
			return (int) entries.filter((fd) -> {
				try {
					return Files.readSymbolicLink(fd).toString().startsWith("socket:");
				}
				catch (IOException ex) {
					return false; // closed while listing
				}
			}).count();
		}
		catch (IOException ex) {
			return -1;
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * What to run.
	 *
	 * @param repetitions closes per variant
	 * @param grpcCallMillis how long the gRPC call in flight at shutdown still takes
	 * @param nettyTaskMillis how long the event loop's task running at shutdown still
	 * takes
	 */
	record Options(int repetitions, int grpcCallMillis, int nettyTaskMillis) {

		static Options of(Args args) {
			if (args.flag("smoke")) {
				return new Options(1, 20, 10);
			}
			return new Options(args.integer("repetitions", 10), args.integer("grpc-call-ms", 200),
					args.integer("netty-task-ms", 100));
		}

	}

	/**
	 * What one close did.
	 *
	 * @param millis wall time of {@code close()}
	 * @param libraryThreads library threads still alive when {@code close()} returned
	 * @param grpcCallInFlight whether the gRPC call was still running
	 * @param grpcTerminated whether the channel and the server had terminated
	 * @param nettyTerminated whether the event loop group had terminated
	 * @param poolDisposed whether the connection pool was disposed
	 * @param openSockets sockets this process had open more than before the application
	 * started (Linux only, {@code -1} elsewhere)
	 */
	record Close(double millis, int libraryThreads, boolean grpcCallInFlight, boolean grpcTerminated,
			boolean nettyTerminated, boolean poolDisposed, int openSockets) {
	}

	/**
	 * The closes of one variant.
	 *
	 * @param starter whether the starter was on
	 * @param closes every close
	 */
	record Result(boolean starter, List<Close> closes) {

		Stats millis() {
			return new Stats(this.closes.stream().mapToDouble(Close::millis).toArray());
		}

		long count(java.util.function.Predicate<Close> condition) {
			return this.closes.stream().filter(condition).count();
		}

	}

	/** The resources, as the benchmark reads them after the close. */
	private record Resources(MultiThreadIoEventLoopGroup group, ConnectionPool pool, ManagedChannel channel,
			Server server, ListenableFuture<String> call) {
	}

	/** Where the gRPC server signals the call has arrived. */
	private static final class Holder {

		final CountDownLatch received = new CountDownLatch(1);

		volatile int callMillis;

	}

}
