package dev.disposables.spring;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesScopesAutoConfiguration;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotatedBeanDefinitionReader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.context.annotation.ScopedProxyMode;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;
import org.springframework.web.context.support.GenericWebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter in a context restored from AOT-generated code, as Spring Boot's own AOT
 * tests do it: the context is processed ahead of time
 * ({@link ApplicationContextAotGenerator}), the generated initializer is compiled, and a
 * fresh context is refreshed from it, with no configuration class parsed. Everything the
 * starter registers at start-up (the {@value DisposalScoped#SCOPE_NAME} scope, the
 * tracking {@code ApplicationStartup}, the observing autowire candidate resolver, the
 * removal-aware request scope) comes from its bean factory post-processor, a bean the
 * generated code registers too; the same checks run against the context built from
 * configuration classes.
 *
 * <p>
 * Compiled with a forked class loader: the generated code lives in the packages of the
 * classes it configures and calls their package-private members.
 */
@CompileWithForkedClassLoader
class AotProcessedContextTests {

	static final List<String> events = new CopyOnWriteArrayList<>();

	@BeforeEach
	void reset() {
		events.clear();
	}

	@Test
	void fromConfigurationClasses() throws Exception {
		GenericWebApplicationContext context = configuredContext();
		context.refresh();
		assertStarterWorks(context);
	}

	@Test
	void fromAotGeneratedCode() {
		withAotProcessedContext((context, hints) -> assertStarterWorks(context));
	}

	@Test
	void aotProcessingDeclaresWhatTheRestoredBeansNeedInANativeImage() {
		withAotProcessedContext((context, hints) -> {
			// methods the starter invokes itself
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Counted.class, "shutdown"))
				.accepts(hints);
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(AsyncClient.class, "closeAsync"))
				.accepts(hints);
			// the interface-based @DisposalScoped proxy, with the interfaces of the proxy
			// the context really made
			// (recorded by Spring when the scoped proxy is created during AOT processing:
			// nothing the starter adds)
			Object proxy = context.getBean("task");
			assertThat(RuntimeHintsPredicates.proxies().forInterfaces(proxy.getClass().getInterfaces())).accepts(hints);
			// the starter's own needs, from META-INF/spring/aot.factories and
			// @ImportRuntimeHints
			assertThat(RuntimeHintsPredicates.reflection()
				.onJavaSerialization(DisposablesRuntimeHints.RESTORED_BEAN_DISPOSER, true)).accepts(hints);
			assertThat(RuntimeHintsPredicates.reflection()
				.onType(dev.disposables.boot.autoconfigure.DisposablesProperties.Shutdown.class)).accepts(hints);
			context.close();
		});
	}

	private static void withAotProcessedContext(ContextAndHints action) {
		TestGenerationContext generationContext = new TestGenerationContext();
		ClassName initializerName = new ApplicationContextAotGenerator().processAheadOfTime(configuredContext(),
				generationContext);
		generationContext.writeGeneratedContent();
		TestCompiler.forSystem().with(generationContext).compile((compiled) -> {
			GenericWebApplicationContext restored = new GenericWebApplicationContext();
			@SuppressWarnings("unchecked")
			ApplicationContextInitializer<GenericWebApplicationContext> initializer = compiled
				.getInstance(ApplicationContextInitializer.class, initializerName.toString());
			initializer.initialize(restored);
			restored.refresh();
			try {
				action.accept(restored, generationContext.getRuntimeHints());
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	private static GenericWebApplicationContext configuredContext() {
		GenericWebApplicationContext context = new GenericWebApplicationContext();
		new AnnotatedBeanDefinitionReader(context).register(Config.class);
		return context;
	}

	private static void assertStarterWorks(GenericWebApplicationContext context) throws Exception {
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		assertThat(beanFactory.getRegisteredScope(DisposalScoped.SCOPE_NAME)).isInstanceOf(DisposalBeanScope.class);
		assertThat(beanFactory.getRegisteredScope("request")).isInstanceOf(RemovalAwareScope.class);
		assertThat(((AbstractBeanFactory) beanFactory).getApplicationStartup())
			.isInstanceOf(CreationFrames.TrackingApplicationStartup.class);
		assertThat(((DefaultListableBeanFactory) beanFactory).getAutowireCandidateResolver())
			.isInstanceOf(ObservingAutowireCandidateResolver.class);

		// @DisposalScoped, class-based (a CGLIB proxy generated ahead of time) and
		// interface-based (a JDK proxy)
		Owner owner = context.getBean(Owner.class);
		try (DisposalScope scope = context.getBean(DisposalScopes.class).open()) {
			owner.work.use();
			owner.task.run();
		}
		assertThat(events).containsExactlyInAnyOrder("work used", "task run", "work closed", "task closed");
		events.clear();

		context.close();

		// prototypes injected into the owner (constructor and field) are disposed once,
		// after it; @PreDestroy once
		assertThat(events).containsOnlyOnce("owner closed", "constructor part closed", "field part closed",
				"counted @PreDestroy", "async client closed");
		assertThat(events.indexOf("owner closed")).isLessThan(events.indexOf("constructor part closed"))
			.isLessThan(events.indexOf("field part closed"));
		assertThat(events).hasSize(5);
	}

	interface ContextAndHints {

		void accept(GenericWebApplicationContext context, RuntimeHints hints) throws Exception;

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DisposablesAutoConfiguration.class, DisposablesScopesAutoConfiguration.class })
	static class Config {

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		Part part() {
			return new Part();
		}

		@Bean
		Owner owner(Part part, Work work, Task task) {
			return new Owner(part, work, task);
		}

		@Bean
		@DisposalScoped
		Work work() {
			return new Work();
		}

		@Bean
		@DisposalScoped(proxyMode = ScopedProxyMode.INTERFACES)
		Task task() {
			return new ClosingTask();
		}

		@Bean
		Counted counted() {
			return new Counted();
		}

		@Bean
		AsyncClient asyncClient() {
			return new AsyncClient();
		}

	}

	static class Part implements AutoCloseable {

		private String name = "part";

		@Override
		public void close() {
			events.add(this.name + " closed");
		}

	}

	static class Owner implements AutoCloseable {

		final Work work;

		final Task task;

		@Autowired
		Part fieldPart;

		Owner(Part part, Work work, Task task) {
			part.name = "constructor part";
			this.work = work;
			this.task = task;
		}

		@PostConstruct
		void nameTheFieldPart() {
			this.fieldPart.name = "field part";
		}

		@Override
		public void close() {
			events.add("owner closed");
		}

	}

	static class Work implements AutoCloseable {

		void use() {
			events.add("work used");
		}

		@Override
		public void close() {
			events.add("work closed");
		}

	}

	/**
	 * Public: a JDK proxy of a non-public interface must be defined by the interface's
	 * own class loader.
	 */
	public interface Task {

		void run();

	}

	static class ClosingTask implements Task, AutoCloseable {

		@Override
		public void run() {
			events.add("task run");
		}

		@Override
		public void close() {
			events.add("task closed");
		}

	}

	/**
	 * {@code @PreDestroy} is a destroy method name in an AOT-generated definition: still
	 * one call.
	 */
	static class Counted {

		@PreDestroy
		void shutdown() {
			events.add("counted @PreDestroy");
		}

	}

	/** Disposed through its async method, which the starter invokes reflectively. */
	static class AsyncClient {

		public CompletionStage<Void> closeAsync() {
			events.add("async client closed");
			return CompletableFuture.completedFuture(null);
		}

	}

}
