package dev.disposables.spring.adapter;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import com.datastax.oss.driver.api.core.CqlSession;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

/**
 * {@link CassandraDisposalAdapter}. A real {@code CqlSession} cannot be built without a
 * Cassandra node (the driver fails at build time when it reaches none), and none is
 * available here: the session is a mock of the driver's real interface, which is what the
 * adapter calls.
 */
class CassandraDisposalAdapterTests {

	private final ApplicationContextRunner runner = AdapterTestSupport.runner();

	@Test
	void sessionIsClosedAsynchronously() {
		CqlSession session = mock(CqlSession.class);
		given(session.closeAsync()).willReturn(CompletableFuture.completedFuture(null));
		this.runner.withBean("cqlSession", CqlSession.class, () -> session)
			.run((context) -> AdapterTestSupport.assertAdapted(context, "cqlSession", "cassandra"));
		verify(session).closeAsync();
		verify(session, never()).close();
		verify(session, never()).forceCloseAsync();
	}

	@Test
	void sessionThatDoesNotCloseIsForceClosedAtTheTimeout() {
		CqlSession session = mock(CqlSession.class);
		given(session.closeAsync()).willReturn(new CompletableFuture<>());
		given(session.forceCloseAsync()).willReturn(CompletableFuture.completedFuture(null));
		this.runner.withPropertyValues("disposables.shutdown.per-resource-timeout=200ms")
			.withBean("cqlSession", CqlSession.class, () -> session)
			.run((context) -> {
			});
		verify(session, timeout(Duration.ofSeconds(5).toMillis())).forceCloseAsync();
		verify(session, never()).close();
	}

}
