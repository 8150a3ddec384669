package dev.disposables.spring.conformance;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesScopesAutoConfiguration;
import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposableResource;
import dev.disposables.spring.DisposablesLifecycle;
import dev.disposables.spring.DisposalScope;
import dev.disposables.spring.DisposalScopes;
import dev.disposables.spring.ResourceState;
import dev.disposables.spring.ScopedResourceTracker;
import dev.disposables.spring.web.servlet.RequestScopeDisposalFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.framework.autoproxy.BeanNameAutoProxyCreator;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.support.SimpleThreadScope;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.web.context.request.RequestScope;
import org.springframework.web.context.request.SessionScope;
import org.springframework.web.filter.RequestContextFilter;

import static org.awaitility.Awaitility.await;

/**
 * Runs a {@link Scenario} on one {@link Flavor}: builds the context (a plain
 * {@link AnnotationConfigApplicationContext}, with or without the starter's
 * auto-configurations), reaches destruction the scenario's way and returns what happened.
 * Everything is observed, nothing is asserted here: {@link ConformanceRules} judges.
 */
public final class ScenarioRunner {

	static final String HELPER = "helper";

	static final String USER = "user";

	/** Marks on the journal's sequence. */
	static final String TRIGGER = "trigger";

	static final String CLOSE = "close";

	static final String CLOSED = "closed";

	/**
	 * How long a starter run waits for disposals that do not hold the caller (request and
	 * session scopes).
	 */
	private static final Duration SETTLE = Duration.ofSeconds(2);

	private ScenarioRunner() {
	}

	/**
	 * Runs the scenario.
	 * @param scenario the scenario
	 * @param flavor stock Spring or the starter
	 * @return what happened
	 */
	public static Outcome run(Scenario scenario, Flavor flavor) {
		return new Run(scenario, flavor).execute();
	}

	/**
	 * A context of the given flavor, not refreshed, with the web and thread scopes
	 * registered.
	 */
	public static AnnotationConfigApplicationContext context(Flavor flavor) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		if (flavor == Flavor.STARTER) {
			context.register(DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class);
		}
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		beanFactory.registerScope("request", new RequestScope());
		beanFactory.registerScope("session", new SessionScope());
		beanFactory.registerScope("thread", new SimpleThreadScope());
		return context;
	}

	/**
	 * Runs one HTTP request through {@code RequestContextFilter} (and, with the starter,
	 * ahead of it the {@link RequestScopeDisposalFilter} the web auto-configuration
	 * registers in a servlet application).
	 */
	public static void request(@Nullable Filter disposalFilter, @Nullable MockHttpSession session, Runnable work) {
		MockHttpServletRequest request = new MockHttpServletRequest();
		if (session != null) {
			request.setSession(session);
		}
		MockHttpServletResponse response = new MockHttpServletResponse();
		HttpServlet servlet = new HttpServlet() {

			@Override
			protected void service(HttpServletRequest req, HttpServletResponse res) {
				work.run();
			}

		};
		try {
			if (disposalFilter != null) {
				disposalFilter.doFilter(request, response, new MockFilterChain(servlet, new RequestContextFilter()));
			}
			else {
				new MockFilterChain(servlet, new RequestContextFilter()).doFilter(request, response);
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The disposal filter of a starter context, registered as a shutdown participant as
	 * the auto-configuration does.
	 */
	public static RequestScopeDisposalFilter disposalFilter(AnnotationConfigApplicationContext context) {
		RequestScopeDisposalFilter filter = new RequestScopeDisposalFilter(
				context.getBean(ScopedResourceTracker.class));
		context.getBean(DisposableRegistry.class).addShutdownParticipant(filter);
		return filter;
	}

	/** Serializes and restores a session's state, as a persistent session store would. */
	public static MockHttpSession persistAndRestore(MockHttpSession session) {
		Serializable state = session.serializeState();
		try {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
				out.writeObject(state);
			}
			try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
				MockHttpSession restored = new MockHttpSession();
				restored.deserializeState((Serializable) in.readObject());
				return restored;
			}
		}
		catch (IOException | ClassNotFoundException ex) {
			throw new IllegalStateException("conformance: the session could not be persisted", ex);
		}
	}

	/**
	 * Waits for a condition, at most {@link #SETTLE}, without failing (the rules judge
	 * what happened).
	 */
	static void settle(BooleanSupplier condition) {
		try {
			await().atMost(SETTLE).pollInterval(Duration.ofMillis(5)).until(condition::getAsBoolean);
		}
		catch (ConditionTimeoutException ex) {
			// judged by the rules
		}
	}

	/** The bean behind a proxy, or the object itself. */
	static Object target(Object bean) {
		Object target = AopProxyUtils.getSingletonTarget(bean);
		return (target != null) ? target : bean;
	}

	/** Registers the infrastructure that proxies the helper. */
	static void registerProxying(AnnotationConfigApplicationContext context, Scenario.Proxying proxying,
			Scenario.Mechanism mechanism, String... beanNames) {
		if (proxying == Scenario.Proxying.NONE) {
			return;
		}
		boolean cglib = proxying == Scenario.Proxying.CGLIB;
		switch (mechanism) {
			case TRANSACTIONAL -> context.register(cglib ? CglibTransactions.class : JdkTransactions.class);
			case ASYNC -> context.register(cglib ? CglibAsync.class : JdkAsync.class);
			case AUTO_PROXY_CREATOR -> {
				RootBeanDefinition creator = new RootBeanDefinition(BeanNameAutoProxyCreator.class);
				creator.getPropertyValues()
					.add("beanNames", beanNames)
					.add("interceptorNames", "conformanceInterceptor")
					.add("proxyTargetClass", cglib);
				context.registerBeanDefinition("conformanceAutoProxyCreator", creator);
				context.registerBean("conformanceInterceptor", MethodInterceptor.class,
						() -> MethodInvocation::proceed);
			}
		}
	}

	public enum Flavor {

		/** Spring Framework alone. */
		STOCK,

		/**
		 * With {@code DisposablesAutoConfiguration} and
		 * {@code DisposablesScopesAutoConfiguration}.
		 */
		STARTER

	}

	/**
	 * The embedded database the {@code @Transactional} helpers run their transactions on.
	 */
	static final class Database {

		private static final DataSource dataSource = new SimpleDriverDataSource(new org.h2.Driver(),
				"jdbc:h2:mem:conformance;DB_CLOSE_DELAY=-1", "sa", "");

		private Database() {
		}

		static DataSource dataSource() {
			return dataSource;
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	@EnableTransactionManagement(proxyTargetClass = false)
	static class JdkTransactions {

		@Bean
		DataSourceTransactionManager transactionManager() {
			return new DataSourceTransactionManager(Database.dataSource());
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	@EnableTransactionManagement(proxyTargetClass = true)
	static class CglibTransactions {

		@Bean
		DataSourceTransactionManager transactionManager() {
			return new DataSourceTransactionManager(Database.dataSource());
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	@EnableAsync(proxyTargetClass = false)
	static class JdkAsync {

	}

	@TestConfiguration(proxyBeanMethods = false)
	@EnableAsync(proxyTargetClass = true)
	static class CglibAsync {

	}

	/**
	 * What a run did.
	 *
	 * @param flavor stock or starter
	 * @param scenario the scenario
	 * @param journal the callbacks
	 * @param registryTypes per bean name, the types the starter's registry showed while
	 * the beans were live
	 * @param leakedBeans bean names the starter reported as leaked
	 * @param shutdownReported whether the starter's shutdown disposal ran
	 * ({@code DisposablesLifecycle#report()})
	 * @param problems what the run itself observed as wrong
	 * @param triggerFailure what reaching destruction threw, if it threw
	 */
	public record Outcome(Flavor flavor, Scenario scenario, CallbackJournal journal,
			Map<String, Set<String>> registryTypes, List<String> leakedBeans, @Nullable Boolean shutdownReported,
			List<String> problems, @Nullable String triggerFailure) {

		/** Instance names of a bean, such as {@code helper#1}. */
		public List<String> instancesOf(String beanName) {
			return this.journal.createdInstances().stream().filter((name) -> name.startsWith(beanName + "#")).toList();
		}

	}

	private static final class Run {

		private final Scenario scenario;

		private final Flavor flavor;

		private final CallbackJournal journal;

		private final List<Object> held = new ArrayList<>();

		private final Map<String, Set<String>> registryTypes = new ConcurrentHashMap<>();

		private final List<String> problems = new ArrayList<>();

		private @Nullable DisposableRegistry registry;

		private @Nullable RequestScopeDisposalFilter filter;

		private @Nullable String triggerFailure;

		Run(Scenario scenario, Flavor flavor) {
			this.scenario = scenario;
			this.flavor = flavor;
			this.journal = CallbackJournal.reset(flavor + " run of [" + scenario + "]");
		}

		Outcome execute() {
			AnnotationConfigApplicationContext context = context(this.flavor);
			registerProxying(context, this.scenario.proxying(), this.scenario.mechanism(), HELPER);
			context.registerBeanDefinition(HELPER, helperDefinition());
			if (this.scenario.hasUser()) {
				context.registerBeanDefinition(USER, userDefinition());
			}
			if (this.scenario.trigger() == Scenario.Trigger.FAILED_REFRESH) {
				RootBeanDefinition breaker = new RootBeanDefinition(Beans.Breaker.class);
				breaker.setDependsOn(this.scenario.hasUser() ? USER : HELPER);
				context.registerBeanDefinition("breaker", breaker);
			}
			if (this.flavor == Flavor.STARTER) {
				// The registry, even when the refresh fails and the context destroys it.
				context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {

					@Override
					public Object postProcessAfterInitialization(Object bean, String beanName) {
						if (bean instanceof DisposableRegistry created) {
							Run.this.registry = created;
						}
						return bean;
					}

				});
			}
			try {
				context.refresh();
			}
			catch (BeanCreationException ex) {
				if (this.scenario.trigger() != Scenario.Trigger.FAILED_REFRESH) {
					throw ex;
				}
				this.journal.mark(TRIGGER);
				this.journal.mark(CLOSE);
				this.journal.mark(CLOSED);
				settleInFlight();
				return outcome(null);
			}
			this.registry = (this.flavor == Flavor.STARTER) ? context.getBean(DisposableRegistry.class) : null;
			DisposablesLifecycle lifecycle = (this.flavor == Flavor.STARTER)
					? context.getBean(DisposablesLifecycle.class) : null;
			if (this.flavor == Flavor.STARTER && (this.scenario.scope() == Scenario.HelperScope.REQUEST
					|| this.scenario.scope() == Scenario.HelperScope.SESSION)) {
				this.filter = disposalFilter(context);
			}
			try {
				activateAndTrigger(context);
			}
			catch (RuntimeException ex) {
				// Stock Spring itself may refuse (a JDK proxy without the declared
				// destroy method): an outcome too.
				this.triggerFailure = ex.toString();
			}
			this.journal.mark(CLOSE);
			context.close();
			this.journal.mark(CLOSED);
			settleInFlight();
			return outcome(lifecycle);
		}

		private Outcome outcome(@Nullable DisposablesLifecycle lifecycle) {
			List<String> leaked = new ArrayList<>();
			DisposableRegistry current = this.registry;
			if (current != null) {
				current.recentLeaks().forEach((leak) -> leaked.add(leak.beanName()));
				current.counts().forEach((scope, counts) -> {
					Long count = counts.get(ResourceState.LEAKED);
					if (count != null && count > 0 && leaked.isEmpty()) {
						leaked.add("(" + count + " leaked in scope " + scope + ")");
					}
				});
			}
			Boolean reported = (lifecycle != null) ? lifecycle.report() != null : null;
			return new Outcome(this.flavor, this.scenario, this.journal, Map.copyOf(this.registryTypes),
					List.copyOf(leaked), reported, List.copyOf(this.problems), this.triggerFailure);
		}

		private RootBeanDefinition helperDefinition() {
			Class<?> type = this.scenario.detection().helperClass();
			RootBeanDefinition definition = new RootBeanDefinition(type);
			definition.setScope(this.scenario.scope().helperScope());
			String destroyMethodName = this.scenario.detection().destroyMethodName();
			if (destroyMethodName != null) {
				definition.setDestroyMethodName(destroyMethodName);
			}
			if (this.scenario.aot()) {
				// What the generated code of an AOT-processed application registers: an
				// instance supplier and the
				// destroy methods resolved at build time, @PreDestroy methods included.
				String[] names = this.scenario.detection().aotDestroyMethodNames();
				if (names != null) {
					definition.setDestroyMethodNames(names);
				}
				definition.setInstanceSupplier(() -> BeanUtils.instantiateClass(type));
			}
			return definition;
		}

		private RootBeanDefinition userDefinition() {
			RootBeanDefinition definition = new RootBeanDefinition(this.scenario.dependency().userClass());
			definition.setScope(this.scenario.scope().userScope());
			if (this.scenario.dependency() == Scenario.Dependency.DEPENDS_ON) {
				definition.setDependsOn(HELPER);
			}
			return definition;
		}

		private void activateAndTrigger(AnnotationConfigApplicationContext context) {
			switch (this.scenario.scope()) {
				case SINGLETON -> {
					Object helper = context.getBean(HELPER);
					checkProxy(helper);
					this.held.add(helper);
					this.held.add(context.getBean(USER));
					snapshotRegistry();
					triggerOutsideAScope(context, helper);
				}
				case PROTOTYPE_INJECTED -> {
					Beans.UserBase user = (Beans.UserBase) context.getBean(USER);
					this.held.add(user);
					Beans.Helper helper = user.helper();
					if (helper != null && this.scenario.dependency() != Scenario.Dependency.LAZY) {
						checkProxy(helper);
					}
					snapshotRegistry();
					triggerOutsideAScope(context, helper);
				}
				case PROTOTYPE_APP_OWNED -> {
					Object helper = context.getBean(HELPER);
					checkProxy(helper);
					this.held.add(helper);
					snapshotRegistry();
					triggerOutsideAScope(context, helper);
				}
				case PROTOTYPE_IN_SCOPE -> inDisposalScope(context, () -> {
					Beans.UserBase user = (Beans.UserBase) context.getBean(USER);
					this.held.add(user);
					snapshotRegistry();
					if (this.scenario.trigger() == Scenario.Trigger.DESTROY_BEAN_OBJECT) {
						context.getAutowireCapableBeanFactory().destroyBean(user.helper());
					}
					this.journal.mark(TRIGGER);
				});
				case DISPOSAL -> inDisposalScope(context, () -> {
					this.held.add(context.getBean(USER));
					snapshotRegistry();
					if (this.scenario.trigger() == Scenario.Trigger.DESTROY_SCOPED_BEAN) {
						destroyScopedHelper(context);
					}
					this.journal.mark(TRIGGER);
				});
				case REQUEST -> {
					request(this.filter, null, () -> {
						this.held.add(context.getBean(USER));
						snapshotRegistry();
						if (this.scenario.trigger() == Scenario.Trigger.DESTROY_SCOPED_BEAN) {
							destroyScopedHelper(context);
						}
						this.journal.mark(TRIGGER);
					});
					settleScope("request");
				}
				case SESSION -> {
					MockHttpSession session = new MockHttpSession();
					request(this.filter, session, () -> {
						this.held.add(context.getBean(USER));
						snapshotRegistry();
						if (this.scenario.trigger() == Scenario.Trigger.DESTROY_SCOPED_BEAN) {
							destroyScopedHelper(context);
						}
					});
					if (this.scenario.trigger() == Scenario.Trigger.SESSION_PERSISTED) {
						session = persistAndRestore(session);
					}
					this.journal.mark(TRIGGER);
					session.invalidate();
					settleScope("session");
				}
				case THREAD -> {
					Thread thread = new Thread(() -> this.held.add(context.getBean(USER)), "conformance-thread-scope");
					thread.start();
					try {
						thread.join();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					snapshotRegistry();
					this.journal.mark(TRIGGER);
				}
			}
		}

		private void triggerOutsideAScope(AnnotationConfigApplicationContext context, @Nullable Object helper) {
			DefaultListableBeanFactory beanFactory = context.getDefaultListableBeanFactory();
			switch (this.scenario.trigger()) {
				case STOP_THEN_CLOSE -> context.stop();
				case DESTROY_SINGLETON -> beanFactory.destroySingleton(HELPER);
				case DESTROY_BEAN_OBJECT -> context.getAutowireCapableBeanFactory().destroyBean(helper);
				case DESTROY_BEAN_NAME -> beanFactory.destroyBean(HELPER, helper);
				default -> {
				}
			}
			this.journal.mark(TRIGGER);
		}

		private void inDisposalScope(AnnotationConfigApplicationContext context, Runnable work) {
			if (this.flavor == Flavor.STOCK) {
				work.run(); // stock Spring has no DisposalScope: the same work, and
							// nothing ends
				return;
			}
			DisposalScope scope = context.getBean(DisposalScopes.class).open();
			try {
				work.run();
			}
			finally {
				closeScope(scope);
			}
		}

		private static void closeScope(DisposalScope scope) {
			try {
				scope.close();
			}
			catch (Exception ex) {
				// A failing disposal fails the scope's close, as try-with-resources
				// would: the journal has the failure.
			}
		}

		/**
		 * {@code destroyScopedBean} while the scope is active. Stock Spring destroys the
		 * bean right there; with the starter its disposal must at least have started when
		 * the call returns (it may finish off the caller's thread, as request-scope
		 * disposals do).
		 */
		private void destroyScopedHelper(AnnotationConfigApplicationContext context) {
			Object helper = context.getBean(HELPER);
			context.getBeanFactory().destroyScopedBean(HELPER);
			DisposableRegistry current = this.registry;
			if (current == null) {
				return;
			}
			Optional<DisposableResource> resource = current.findByInstance(target(helper))
				.or(() -> current.findByInstance(helper));
			if (resource.isPresent() && resource.get().state() == ResourceState.LIVE) {
				this.problems.add("destroyScopedBean(\"helper\") returned and the helper ("
						+ this.scenario.scope().helperScope() + " scope) is still LIVE in the registry: its disposal "
						+ "was left to the end of the scope instead of starting now, as stock Spring does");
			}
		}

		/**
		 * Disposals still running after close() returned (they are judged, but counted
		 * completely).
		 */
		private void settleInFlight() {
			DisposableRegistry current = this.registry;
			if (current == null) {
				return;
			}
			settle(() -> current.resources()
				.stream()
				.noneMatch((resource) -> resource.state() == ResourceState.DISPOSING
						&& (resource.beanName().equals(HELPER) || resource.beanName().equals(USER))));
		}

		/**
		 * Request and session disposals with the starter do not hold the caller: wait for
		 * them.
		 */
		private void settleScope(String scope) {
			DisposableRegistry current = this.registry;
			if (current == null) {
				return;
			}
			settle(() -> current.resources()
				.stream()
				.noneMatch((resource) -> resource.scope().equals(scope)
						&& (resource.beanName().equals(HELPER) || resource.beanName().equals(USER))));
		}

		private void snapshotRegistry() {
			DisposableRegistry current = this.registry;
			if (current == null) {
				return;
			}
			for (DisposableResource resource : current.resources()) {
				if (resource.beanName().equals(HELPER) || resource.beanName().equals(USER)) {
					this.registryTypes.computeIfAbsent(resource.beanName(), (key) -> ConcurrentHashMap.newKeySet())
						.add(resource.type());
				}
			}
		}

		/**
		 * The scenario's proxying really happened, and a {@code @Transactional} call
		 * really opens a transaction.
		 */
		private void checkProxy(Object helper) {
			switch (this.scenario.proxying()) {
				case NONE -> expect(!AopUtils.isAopProxy(helper), "the helper is not proxied");
				case JDK -> expect(AopUtils.isJdkDynamicProxy(helper), "the helper is a JDK proxy");
				case CGLIB -> expect(AopUtils.isCglibProxy(helper), "the helper is a CGLIB proxy");
			}
			if (this.scenario.proxying() != Scenario.Proxying.NONE
					&& this.scenario.mechanism() == Scenario.Mechanism.TRANSACTIONAL) {
				expect(((Beans.Helper) helper).transactional(),
						"a @Transactional call on the helper has a transaction");
			}
		}

		private void expect(boolean condition, String what) {
			if (!condition) {
				this.problems.add("[test setup] expected: " + what);
			}
		}

	}

}
