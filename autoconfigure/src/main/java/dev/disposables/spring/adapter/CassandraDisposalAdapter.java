package dev.disposables.spring.adapter;

import java.util.Set;
import java.util.concurrent.CompletionStage;

import com.datastax.oss.driver.api.core.session.Session;
import dev.disposables.spring.DisposalAdapter;

import org.springframework.core.Ordered;

/**
 * Closes a DataStax / Apache Cassandra driver {@link Session} ({@code CqlSession}) with
 * {@code closeAsync()}, which lets in-flight requests complete; at the per-resource
 * timeout it is escalated to {@code forceCloseAsync()}, which aborts them. Spring infers
 * {@code close()}, which blocks on {@code closeAsync()} with no limit.
 *
 * @since 0.2.0
 */
public final class CassandraDisposalAdapter implements DisposalAdapter, Ordered {

	private static final Set<String> REPLACED = Set.of("close", "closeAsync", "forceCloseAsync");

	@Override
	public String name() {
		return "cassandra";
	}

	@Override
	public boolean supports(Class<?> type) {
		return Session.class.isAssignableFrom(type);
	}

	@Override
	public Set<String> replacedDestroyMethods(Class<?> type) {
		return REPLACED;
	}

	@Override
	public CompletionStage<Void> dispose(Object instance, Context context) {
		Session session = (Session) instance;
		context.onTimeout(session::forceCloseAsync);
		return session.closeAsync();
	}

	@Override
	public int getOrder() {
		return BUILT_IN_ORDER;
	}

}
