package dev.disposables.spring;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.CustomScopeConfigurer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.util.SerializationUtils;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.context.request.SessionScope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session-scoped bean restored from a persisted session is disposed with the definition
 * of the context that created it, even when another live context has the same id (every
 * Spring Boot application is called "application" unless named), and a closed context
 * leaves nothing behind for restored sessions to find.
 */
class RestoredSessionBeanTests {

	static final List<String> calls = new CopyOnWriteArrayList<>();

	@BeforeEach
	void reset() {
		calls.clear();
	}

	@Test
	void twoLiveContextsWithTheSameIdEachDisposeTheirOwnRestoredBeans() {
		List<String> stock = restoreInTwoContextsNamedAlike(new ApplicationContextRunner());
		calls.clear();
		List<String> starter = restoreInTwoContextsNamedAlike(new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class)));
		assertThat(stock).containsExactly("first.flush (restored)", "second.release (restored)");
		assertThat(starter).isEqualTo(stock);
	}

	@Test
	void aSessionPersistedBeforeARestartIsDisposedByTheNewContextWithTheSameId() {
		List<String> stock = restoreAfterRestart(new ApplicationContextRunner());
		calls.clear();
		List<String> starter = restoreAfterRestart(new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class)));
		assertThat(stock).containsExactly("first.flush (restored)");
		assertThat(starter).isEqualTo(stock);
	}

	@Test
	void closedContextsLeaveNoEntryForRestoredSessions() {
		int before = DisposablesBeanPostProcessor.restorableProcessorCount();
		AtomicInteger whileLive = new AtomicInteger();
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class));
		runner.withInitializer((context) -> ((GenericApplicationContext) context).setId("application"))
			.run((first) -> runner
				.withInitializer((context) -> ((GenericApplicationContext) context).setId("application"))
				.run((second) -> runner
					.withInitializer((context) -> ((GenericApplicationContext) context).setId("other"))
					.run((third) -> whileLive.set(DisposablesBeanPostProcessor.restorableProcessorCount()))));
		assertThat(whileLive).hasValue(before + 3);
		assertThat(DisposablesBeanPostProcessor.restorableProcessorCount()).isEqualTo(before);
	}

	/**
	 * Two live contexts with the same id, each with a session-scoped bean of the same
	 * name whose definitions declare different destroy methods: each session is
	 * persisted, restored and invalidated while both contexts are open.
	 */
	private static List<String> restoreInTwoContextsNamedAlike(ApplicationContextRunner runner) {
		List<MockHttpSession> persisted = new ArrayList<>();
		runner.withInitializer((context) -> ((GenericApplicationContext) context).setId("application"))
			.withUserConfiguration(FlushingConfig.class)
			.run((first) -> runner
				.withInitializer((context) -> ((GenericApplicationContext) context).setId("application"))
				.withUserConfiguration(ReleasingConfig.class)
				.run((second) -> {
					persisted.add(persistedSessionWithBean(first));
					persisted.add(persistedSessionWithBean(second));
					persisted.forEach(MockHttpSession::invalidate);
				}));
		// The originals, still in their live sessions, are none of this test's business.
		return calls.stream().filter((call) -> call.endsWith("(restored)")).toList();
	}

	/**
	 * A session persisted by one context, restored and invalidated in the next one with
	 * the same id (the application was restarted; its sessions were saved on the way
	 * down).
	 */
	private static List<String> restoreAfterRestart(ApplicationContextRunner runner) {
		List<MockHttpSession> persisted = new ArrayList<>();
		ApplicationContextRunner application = runner
			.withInitializer((context) -> ((GenericApplicationContext) context).setId("application"))
			.withUserConfiguration(FlushingConfig.class);
		application.run((before) -> persisted.add(persistedSessionWithBean(before)));
		application.run((after) -> persisted.forEach(MockHttpSession::invalidate));
		return calls.stream().filter((call) -> call.endsWith("(restored)")).toList();
	}

	private static MockHttpSession persistedSessionWithBean(ApplicationContext context) {
		MockHttpSession session = new MockHttpSession();
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setSession(session);
		ServletRequestAttributes attributes = new ServletRequestAttributes(request);
		RequestContextHolder.setRequestAttributes(attributes);
		try {
			context.getBean(SessionResource.class);
		}
		finally {
			attributes.requestCompleted();
			RequestContextHolder.resetRequestAttributes();
		}
		// Really serialized, as a servlet container persisting sessions does.
		Serializable state = SerializationUtils.clone(session.serializeState());
		MockHttpSession restored = new MockHttpSession();
		restored.deserializeState(state);
		return restored;
	}

	@Configuration(proxyBeanMethods = false)
	static class SessionScopeConfig {

		@Bean
		static CustomScopeConfigurer sessionScope() {
			CustomScopeConfigurer configurer = new CustomScopeConfigurer();
			configurer.addScope("session", new SessionScope());
			return configurer;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FlushingConfig extends SessionScopeConfig {

		@Bean(destroyMethod = "flush")
		@Scope("session")
		SessionResource sessionResource() {
			return new SessionResource("first");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ReleasingConfig extends SessionScopeConfig {

		@Bean(destroyMethod = "release")
		@Scope("session")
		SessionResource sessionResource() {
			return new SessionResource("second");
		}

	}

	/** Two ways to be disposed; which one runs is the definition's choice. */
	static class SessionResource implements Serializable {

		private static final long serialVersionUID = 1L;

		private final String label;

		private transient boolean original = true;

		SessionResource(String label) {
			this.label = label;
		}

		public void flush() {
			record("flush");
		}

		public void release() {
			record("release");
		}

		private void record(String method) {
			calls.add(this.label + "." + method + (this.original ? " (original)" : " (restored)"));
		}

	}

}
