package dev.disposables.spring.adapter;

import java.util.Set;
import java.util.concurrent.CompletionStage;

import dev.disposables.spring.DisposalAdapter;
import io.grpc.ManagedChannel;
import io.grpc.Server;

import org.springframework.core.Ordered;

/**
 * Shuts a gRPC {@link ManagedChannel} or {@link Server} down and waits for its
 * termination: {@code shutdown()}, then {@code isTerminated()} polled on the starter's
 * threads (no thread is held while waiting). Spring infers {@code shutdown()}, which
 * returns at once: nobody waits for the calls in flight. At the per-resource timeout the
 * channel or server is escalated to {@code shutdownNow()}.
 *
 * @since 0.2.0
 */
public final class GrpcDisposalAdapter implements DisposalAdapter, Ordered {

	private static final Set<String> REPLACED = Set.of("shutdown", "shutdownNow", "close");

	@Override
	public String name() {
		return "grpc";
	}

	@Override
	public boolean supports(Class<?> type) {
		return ManagedChannel.class.isAssignableFrom(type) || Server.class.isAssignableFrom(type);
	}

	@Override
	public Set<String> replacedDestroyMethods(Class<?> type) {
		return REPLACED;
	}

	@Override
	public CompletionStage<Void> dispose(Object instance, Context context) {
		if (instance instanceof ManagedChannel channel) {
			context.onTimeout(channel::shutdownNow);
			channel.shutdown();
			return context.awaitCondition(channel::isTerminated);
		}
		Server server = (Server) instance;
		context.onTimeout(server::shutdownNow);
		server.shutdown();
		return context.awaitCondition(server::isTerminated);
	}

	@Override
	public int getOrder() {
		return BUILT_IN_ORDER;
	}

}
