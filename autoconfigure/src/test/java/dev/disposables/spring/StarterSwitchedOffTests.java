package dev.disposables.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesOffAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesScopesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposablesWebAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code disposables.enabled=false} leaves an application that uses the API working:
 * {@link DisposalScopes} can be injected, scopes open and close and dispose what they own
 * ({@code @DisposalScoped} beans, prototypes they resolved), and everything else is
 * destroyed by Spring exactly as without the starter (compared with a context that has no
 * starter at all).
 */
class StarterSwitchedOffTests {

	private static final AutoConfigurations STARTER = AutoConfigurations.of(DisposablesAutoConfiguration.class,
			DisposablesScopesAutoConfiguration.class, DisposablesWebAutoConfiguration.class,
			DisposablesOffAutoConfiguration.class);

	@Test
	void scopesInjectedIntoAServletApplicationOpenCloseAndDisposeWhatTheyOwn() {
		Closed closed = new Closed();
		new WebApplicationContextRunner().withConfiguration(STARTER)
			.withPropertyValues("disposables.enabled=false")
			.withBean(Closed.class, () -> closed)
			.withUserConfiguration(Beans.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(DisposableRegistry.class)
					.doesNotHaveBean(DisposablesBeanPostProcessor.class);
				Worker worker = context.getBean(Worker.class);
				worker.work();
				assertThat(closed.names).containsExactlyInAnyOrder("prototype", "scoped");
				worker.work();
				assertThat(closed.names).hasSize(4);
			});
	}

	@Test
	void springsOwnDestructionIsTheSameAsWithoutTheStarter() {
		List<String> stock = shutdownOrder(new ApplicationContextRunner());
		List<String> off = shutdownOrder(new ApplicationContextRunner().withConfiguration(STARTER)
			.withPropertyValues("disposables.enabled=false"));
		assertThat(stock).containsExactly("worker", "singleton");
		assertThat(off).isEqualTo(stock);
	}

	@Test
	void scopeStillOpenWhenTheContextClosesIsDisposed() {
		Closed closed = new Closed();
		new ApplicationContextRunner().withConfiguration(STARTER)
			.withPropertyValues("disposables.enabled=false")
			.withBean(Closed.class, () -> closed)
			.withUserConfiguration(Beans.class)
			.run((context) -> context.getBean(DisposalScopes.class).open().getBean(Resource.class));
		assertThat(closed.names).containsExactlyInAnyOrder("prototype", "worker", "singleton");
	}

	private static List<String> shutdownOrder(ApplicationContextRunner runner) {
		Closed closed = new Closed();
		runner.withBean(Closed.class, () -> closed)
			.withUserConfiguration(SingletonsOnly.class)
			.run((context) -> context.getBean("worker"));
		return closed.names;
	}

	@Configuration(proxyBeanMethods = false)
	static class SingletonsOnly {

		@Bean
		Named singleton(Closed closed) {
			return new Named("singleton", closed);
		}

		@Bean
		Named worker(Closed closed, Named singleton) {
			return new Named("worker", closed);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Beans {

		@Bean
		Named singleton(Closed closed) {
			return new Named("singleton", closed);
		}

		@Bean
		Worker worker(DisposalScopes scopes, Closed closed, Named singleton) {
			return new Worker(scopes, closed);
		}

		@Bean
		@Scope("prototype")
		Resource resource(Closed closed) {
			return new Resource("prototype", closed);
		}

		@Bean
		@DisposalScoped
		Named scoped(Closed closed) {
			return new Named("scoped", closed);
		}

	}

	static class Worker implements AutoCloseable {

		private final DisposalScopes scopes;

		private final Closed closed;

		Worker(DisposalScopes scopes, Closed closed) {
			this.scopes = scopes;
			this.closed = closed;
		}

		void work() throws Exception {
			this.scopes.call(() -> {
				DisposalScope scope = this.scopes.current().orElseThrow();
				scope.getBean(Resource.class);
				scope.getBean("scoped", Named.class).name(); // a scoped proxy: created
																// when used
				return null;
			});
		}

		@Override
		public void close() {
			this.closed.names.add("worker");
		}

	}

	static class Named implements AutoCloseable {

		private final String name;

		private final Closed closed;

		Named(String name, Closed closed) {
			this.name = name;
			this.closed = closed;
		}

		String name() {
			return this.name;
		}

		@Override
		public void close() {
			this.closed.names.add(this.name);
		}

	}

	static class Resource extends Named {

		Resource(String name, Closed closed) {
			super(name, closed);
		}

	}

	/**
	 * What was closed, in order; a bean of its own (a {@code List} would be a collection
	 * injection).
	 */
	static class Closed {

		final List<String> names = new CopyOnWriteArrayList<>();

	}

}
