package dev.disposables.spring.adapter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link GrpcDisposalAdapter} against a real in-process gRPC server and channel with
 * calls in flight.
 */
class GrpcDisposalAdapterTests {

	private static final ScheduledExecutorService responses = Executors.newSingleThreadScheduledExecutor();

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

	static final MethodDescriptor<String, String> SLOW = MethodDescriptor.<String, String>newBuilder()
		.setType(MethodDescriptor.MethodType.UNARY)
		.setFullMethodName(MethodDescriptor.generateFullMethodName("test.Slow", "call"))
		.setRequestMarshaller(STRINGS)
		.setResponseMarshaller(STRINGS)
		.build();

	private static volatile CountDownLatch received = new CountDownLatch(1);

	private final ApplicationContextRunner runner = AdapterTestSupport.runner().withUserConfiguration(GrpcConfig.class);

	@AfterAll
	static void stopResponses() {
		responses.shutdownNow();
	}

	@Test
	void callsInFlightFinishBeforeChannelAndServerTerminate() throws Exception {
		received = new CountDownLatch(1);
		Object[] holder = new Object[3];
		this.runner.run((context) -> {
			AdapterTestSupport.assertAdapted(context, "grpcServer", "grpc");
			AdapterTestSupport.assertAdapted(context, "grpcChannel", "grpc");
			ManagedChannel channel = context.getBean(ManagedChannel.class);
			holder[0] = channel;
			holder[1] = context.getBean(Server.class);
			holder[2] = ClientCalls.futureUnaryCall(channel.newCall(SLOW, CallOptions.DEFAULT), "300");
			assertThat(received.await(5, TimeUnit.SECONDS)).isTrue();
		});
		@SuppressWarnings("unchecked")
		ListenableFuture<String> call = (ListenableFuture<String>) holder[2];
		assertThat(((ManagedChannel) holder[0]).isTerminated()).isTrue();
		assertThat(((Server) holder[1]).isTerminated()).isTrue();
		assertThat(call.isDone()).isTrue();
		assertThat(call.get()).isEqualTo("done");
	}

	@Test
	void callThatNeverEndsIsEscalatedToShutdownNowAtTheTimeout() {
		received = new CountDownLatch(1);
		Object[] holder = new Object[3];
		this.runner.withPropertyValues("disposables.shutdown.per-resource-timeout=300ms").run((context) -> {
			ManagedChannel channel = context.getBean(ManagedChannel.class);
			holder[0] = channel;
			holder[1] = context.getBean(Server.class);
			holder[2] = ClientCalls.futureUnaryCall(channel.newCall(SLOW, CallOptions.DEFAULT), "never");
			assertThat(received.await(5, TimeUnit.SECONDS)).isTrue();
		});
		await().atMost(Duration.ofSeconds(5))
			.until(() -> ((ManagedChannel) holder[0]).isTerminated() && ((Server) holder[1]).isTerminated());
		@SuppressWarnings("unchecked")
		ListenableFuture<String> call = (ListenableFuture<String>) holder[2];
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(StatusRuntimeException.class);
	}

	@Test
	void withoutTheAdapterNobodyWaitsForTermination() {
		received = new CountDownLatch(1);
		Object[] holder = new Object[2];
		this.runner.withPropertyValues("disposables.adapters.grpc.enabled=false").run((context) -> {
			ManagedChannel channel = context.getBean(ManagedChannel.class);
			holder[0] = channel;
			holder[1] = ClientCalls.futureUnaryCall(channel.newCall(SLOW, CallOptions.DEFAULT), "300");
			assertThat(received.await(5, TimeUnit.SECONDS)).isTrue();
		});
		@SuppressWarnings("unchecked")
		ListenableFuture<String> call = (ListenableFuture<String>) holder[1];
		// shutdown() returned at once: the call is still running when the context has
		// closed.
		assertThat(((ManagedChannel) holder[0]).isTerminated()).isFalse();
		assertThat(call.isDone()).isFalse();
		((ManagedChannel) holder[0]).shutdownNow();
	}

	@Configuration(proxyBeanMethods = false)
	static class GrpcConfig {

		private final String name = InProcessServerBuilder.generateName();

		@Bean
		Server grpcServer() throws IOException {
			ServerServiceDefinition service = ServerServiceDefinition.builder("test.Slow")
				.addMethod(SLOW, ServerCalls.asyncUnaryCall((request, observer) -> {
					received.countDown();
					if (!"never".equals(request)) {
						responses.schedule(() -> {
							observer.onNext("done");
							observer.onCompleted();
						}, Long.parseLong(request), TimeUnit.MILLISECONDS);
					}
				}))
				.build();
			return InProcessServerBuilder.forName(this.name).addService(service).build().start();
		}

		@Bean
		ManagedChannel grpcChannel() {
			return InProcessChannelBuilder.forName(this.name).build();
		}

	}

}
