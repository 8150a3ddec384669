package dev.disposables.spring;

import java.io.Serializable;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesScopesAutoConfiguration;
import jakarta.annotation.PreDestroy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.CustomScopeConfigurer;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.context.support.SimpleThreadScope;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.util.SerializationUtils;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.context.request.SessionScope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Regression tests of the cases where the starter once did worse than stock Spring: each
 * disposes exactly once, on the bean itself, after its users.
 */
@ExtendWith(OutputCaptureExtension.class)
class NeverWorseThanSpringTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class));

	@BeforeEach
	void reset() {
		calls.clear();
	}

	static final List<String> calls = new CopyOnWriteArrayList<>();

	static void record(String call) {
		calls.add(call);
	}

	static long count(String call) {
		return calls.stream().filter(call::equals).count();
	}

	// ---- AOP proxies
	// ---------------------------------------------------------------------------------------------

	@Test
	void privatePreDestroyOfACglibProxiedBeanRunsOnceOnTheTarget() {
		this.runner.withUserConfiguration(AsyncConfig.class).run((context) -> {
			ClassProxied bean = context.getBean(ClassProxied.class);
			assertThat(bean.getClass()).isNotEqualTo(ClassProxied.class); // a CGLIB proxy
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			assertThat(registry.findByInstance(bean))
				.hasValueSatisfying((resource) -> assertThat(resource.type()).isEqualTo(ClassProxied.class.getName()));
		});
		assertThat(count("class-proxied:target")).isEqualTo(1);
		assertThat(calls).doesNotContain("null:target");
	}

	@Test
	void publicPreDestroyOfAJdkProxiedBeanRunsOnce() {
		this.runner.withUserConfiguration(AsyncConfig.class).run((context) -> {
			Service service = context.getBean("interfaceProxied", Service.class);
			assertThat(service.getClass().getName()).contains("$Proxy");
		});
		assertThat(count("interface-proxied")).isEqualTo(1);
	}

	@Test
	void destroySingletonOfAProxiedBeanDisposesItOnce() {
		this.runner.withUserConfiguration(AsyncConfig.class).run((context) -> {
			((DefaultListableBeanFactory) context.getBeanFactory()).destroySingleton("classProxied");
			assertThat(calls).containsExactly("class-proxied:target");
		});
		assertThat(calls).containsExactlyInAnyOrder("class-proxied:target", "interface-proxied");
	}

	// ---- destroy methods
	// -----------------------------------------------------------------------------------------

	@Test
	void destroyMethodThatIsAlsoPreDestroyRunsOnce() {
		this.runner.withUserConfiguration(DestroyMethodConfig.class).run((context) -> context.getBean("named"));
		assertThat(count("cleanup")).isEqualTo(1);
	}

	@Test
	void aotStyleDefinitionWithPreDestroyNamesAmongDestroyMethodsRunsEachOnce() {
		this.runner.withInitializer((context) -> {
			RootBeanDefinition definition = new RootBeanDefinition(AotStyle.class);
			// What AOT processing writes: the @PreDestroy methods' identifiers, then the
			// inferred destroy method.
			definition.setDestroyMethodNames(AotStyle.class.getName() + ".secret", "cleanup", "close");
			((AnnotationConfigApplicationContext) context).registerBeanDefinition("aotStyle", definition);
		}).run((context) -> context.getBean("aotStyle"));
		assertThat(calls).containsExactlyInAnyOrder("secret", "cleanup", "close");
	}

	@Test
	void destroyBeanOfAManagedDisposableBeanPrototypeCallsDestroyOnce() {
		this.runner.withUserConfiguration(PrototypeConfig.class).run((context) -> {
			DestroyablePrototype prototype = context.getBean(DestroyablePrototype.class);
			context.getAutowireCapableBeanFactory().destroyBean(prototype);
			assertThat(calls).containsExactly("pre-destroy", "destroy");
		});
		assertThat(calls).containsExactly("pre-destroy", "destroy");
	}

	// ---- lifecycle
	// -----------------------------------------------------------------------------------------------

	@Test
	void stopThenCloseStillDisposesEverything(CapturedOutput output) {
		this.runner.withUserConfiguration(PrototypeConfig.class).run((context) -> {
			context.getBean(DestroyablePrototype.class);
			context.stop();
			assertThat(calls).isEmpty();
		});
		assertThat(calls).containsExactly("pre-destroy", "destroy");
		assertThat(output).contains("Disposed 1 resources");
	}

	// ---- dependencies Spring does not record
	// ---------------------------------------------------------------------

	@Test
	void helperResolvedThroughAnObjectProviderInAConstructorIsDisposedAfterItsUser() {
		this.runner.withUserConfiguration(ProviderConfig.class).run((context) -> {
			context.getBean(HelperUser.class);
			assertThat(context.getBeanFactory().getDependentBeans("helper")).contains("helperUser");
		});
		assertThat(calls).containsExactly("user:start", "user:end (helper open)", "helper");
	}

	// ---- several contexts
	// ----------------------------------------------------------------------------------------

	@Test
	void aChildContextManagesItsOwnBeans() {
		this.runner.withUserConfiguration(PrototypeConfig.class).run((parent) -> {
			AtomicReference<DisposableRegistry> childRegistry = new AtomicReference<>();
			this.runner.withParent(parent)
				.withBean("childResource", RecordingResource.class, () -> new RecordingResource("child", calls))
				.run((child) -> {
					childRegistry.set(child.getBean(DisposableRegistry.class));
					assertThat(child.getBeanFactory().containsLocalBean("disposableRegistry")).isTrue();
					assertThat(childRegistry.get()).isNotSameAs(parent.getBean(DisposableRegistry.class));
					assertThat(childRegistry.get().findByInstance(child.getBean("childResource"))).isPresent();
					assertThat(parent.getBean(DisposableRegistry.class).findByInstance(child.getBean("childResource")))
						.isEmpty();
				});
			assertThat(calls).containsExactly("child");
		});
		assertThat(calls).containsExactly("child");
	}

	@Test
	void aScopeOpenedForOneContextDoesNotOwnAnotherContextsPrototypes() {
		this.runner.withUserConfiguration(PrototypeConfig.class).run((first) -> {
			this.runner.withUserConfiguration(PrototypeConfig.class).run((second) -> {
				try (DisposalScope scope = first.getBean(DisposalScopes.class).open()) {
					second.getBean(DestroyablePrototype.class);
					assertThat(second.getBean(DisposalScopes.class).current()).isEmpty();
				}
				assertThat(calls).isEmpty(); // the first context's scope did not take it
			});
			assertThat(calls).containsExactly("pre-destroy", "destroy"); // the second
																			// context
																			// disposed it
		});
	}

	// ---- scopes
	// --------------------------------------------------------------------------------------------------

	@Test
	void beansOfAScopeThatDropsDestructionCallbacksAreNotKeptReachable() throws Exception {
		this.runner.withUserConfiguration(ThreadScopeConfig.class).run((context) -> {
			List<WeakReference<Object>> references = new ArrayList<>();
			Thread thread = new Thread(() -> references.add(new WeakReference<>(context.getBean("threadScoped"))));
			thread.start();
			thread.join();
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				System.gc();
				assertThat(references.get(0).get()).isNull();
				assertThat(registry.count("thread", ResourceState.COLLECTED)).isEqualTo(1);
			});
		});
	}

	@Test
	void theSameInstanceUnderTwoBeanNamesIsDisposedOnce() {
		this.runner.withUserConfiguration(SharedInstanceConfig.class)
			.run((context) -> assertThat(context.getBean("first")).isSameAs(context.getBean("second")));
		assertThat(calls).containsExactly("shared");
	}

	@Test
	void destroyScopedBeanOfADisposalScopedBeanDisposesItAtOnce() {
		this.runner.withUserConfiguration(DisposalScopedConfig.class).run((context) -> {
			try (DisposalScope scope = context.getBean(DisposalScopes.class).open()) {
				scope.getBean(UnitResource.class).touch();
				context.getBeanFactory().destroyScopedBean("scopedTarget.unitResource");
				assertThat(calls).containsExactly("unit");
			}
			assertThat(calls).containsExactly("unit");
		});
	}

	@Test
	void aSessionScopedBeanRestoredFromAPersistedSessionIsDisposedWhenTheSessionEnds() {
		this.runner.withUserConfiguration(SessionConfig.class).run((context) -> {
			MockHttpSession session = new MockHttpSession();
			MockHttpServletRequest request = new MockHttpServletRequest();
			request.setSession(session);
			ServletRequestAttributes attributes = new ServletRequestAttributes(request);
			RequestContextHolder.setRequestAttributes(attributes);
			try {
				context.getBean(SessionResource.class).touch();
			}
			finally {
				attributes.requestCompleted();
				RequestContextHolder.resetRequestAttributes();
			}
			// Really serialized, as a servlet container persisting sessions does
			// (serializeState alone copies).
			Serializable persisted = SerializationUtils.clone(session.serializeState());
			MockHttpSession restored = new MockHttpSession();
			restored.deserializeState(persisted);
			restored.invalidate();
			assertThat(calls).containsExactly("session:restored");
		});
	}

	// ---- fixtures
	// ------------------------------------------------------------------------------------------------

	@Configuration(proxyBeanMethods = false)
	@EnableAsync(proxyTargetClass = false)
	static class AsyncConfig {

		@Bean
		ClassProxied classProxied() {
			return new ClassProxied();
		}

		@Bean
		InterfaceProxied interfaceProxied() {
			return new InterfaceProxied();
		}

	}

	static class ClassProxied {

		private final String name = "class-proxied";

		@Async
		public void work() {
		}

		@PreDestroy
		private void release() {
			// On a CGLIB proxy the field is null: this proves the call reached the
			// target.
			record(this.name + ":target");
		}

	}

	interface Service {

		void work();

	}

	static class InterfaceProxied implements Service {

		@Async
		@Override
		public void work() {
		}

		@PreDestroy
		public void release() {
			record("interface-proxied");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DestroyMethodConfig {

		@Bean(destroyMethod = "cleanup")
		Named named() {
			return new Named();
		}

	}

	static class Named {

		@PreDestroy
		public void cleanup() {
			record("cleanup");
		}

	}

	static class AotStyle implements AutoCloseable {

		@PreDestroy
		private void secret() {
			record("secret");
		}

		@PreDestroy
		public void cleanup() {
			record("cleanup");
		}

		@Override
		public void close() {
			record("close");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PrototypeConfig {

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		DestroyablePrototype destroyablePrototype() {
			return new DestroyablePrototype();
		}

	}

	static class DestroyablePrototype implements DisposableBean {

		@PreDestroy
		void preDestroy() {
			record("pre-destroy");
		}

		@Override
		public void destroy() {
			record("destroy");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ProviderConfig {

		@Bean
		Helper helper() {
			return new Helper();
		}

		@Bean
		HelperUser helperUser(ObjectProvider<Helper> helper) {
			return new HelperUser(helper);
		}

	}

	static class Helper implements AutoCloseable {

		private final AtomicBoolean closed = new AtomicBoolean();

		boolean isOpen() {
			return !this.closed.get();
		}

		@Override
		public void close() {
			this.closed.set(true);
			record("helper");
		}

	}

	static class HelperUser implements AutoCloseable {

		private final Helper helper;

		HelperUser(ObjectProvider<Helper> helper) {
			this.helper = helper.getObject(); // Spring records no dependency for this
		}

		@Override
		public void close() throws InterruptedException {
			record("user:start");
			Thread.sleep(200); // simulated work: flushing through the helper
			record("user:end (helper " + (this.helper.isOpen() ? "open" : "closed") + ")");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ThreadScopeConfig {

		@Bean
		static CustomScopeConfigurer threadScope() {
			CustomScopeConfigurer configurer = new CustomScopeConfigurer();
			configurer.addScope("thread", new SimpleThreadScope());
			return configurer;
		}

		@Bean
		@Scope("thread")
		RecordingResource threadScoped() {
			return new RecordingResource("child", calls);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SharedInstanceConfig {

		static final RecordingResource shared = new RecordingResource("shared", calls);

		@Bean
		RecordingResource first() {
			return shared;
		}

		@Bean
		RecordingResource second() {
			return shared;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DisposalScopedConfig {

		@Bean
		@DisposalScoped
		UnitResource unitResource() {
			return new UnitResource();
		}

	}

	static class UnitResource implements AutoCloseable {

		void touch() {
		}

		@Override
		public void close() {
			record("unit");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SessionConfig {

		@Bean
		static CustomScopeConfigurer sessionScope() {
			CustomScopeConfigurer configurer = new CustomScopeConfigurer();
			configurer.addScope("session", new SessionScope());
			return configurer;
		}

		@Bean
		@Scope("session")
		SessionResource sessionResource() {
			return new SessionResource();
		}

	}

	static class SessionResource implements AutoCloseable, Serializable {

		private static final long serialVersionUID = 1L;

		private transient boolean original = true;

		void touch() {
		}

		@Override
		public void close() {
			record(this.original ? "session:original" : "session:restored");
		}

	}

}
