package dev.disposables.spring.conformance;

import java.util.Map;
import java.util.function.Consumer;

import dev.disposables.spring.conformance.ScenarioRunner.Flavor;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.FactoryBean;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One instance under two bean names (Spring registers a destruction callback per name and
 * runs it twice): the starter disposes it once. Bug (10).
 */
class SharedInstanceConformanceTests {

	/** Bug (10): the same disposable returned by two bean definitions. */
	@Test
	void sameInstanceUnderTwoBeanNamesIsDisposedOnce() {
		Map<String, Long> stock = run(Flavor.STOCK, (context) -> {
			Beans.CloseableHelper shared = new Beans.CloseableHelper();
			shared.setBeanName("shared");
			context.registerBean("first", Beans.CloseableHelper.class, () -> shared);
			context.registerBean("second", Beans.CloseableHelper.class, () -> shared);
		});
		Map<String, Long> starter = run(Flavor.STARTER, (context) -> {
			Beans.CloseableHelper shared = new Beans.CloseableHelper();
			shared.setBeanName("shared");
			context.registerBean("first", Beans.CloseableHelper.class, () -> shared);
			context.registerBean("second", Beans.CloseableHelper.class, () -> shared);
		});
		assertThat(stock).as("stock Spring closes it once per name").isEqualTo(Map.of("close", 2L));
		assertThat(starter).as("the starter disposes the instance exactly once").isEqualTo(Map.of("close", 1L));
	}

	/**
	 * Bug (10): one disposable {@code FactoryBean} instance registered as two factory
	 * beans.
	 */
	@Test
	void disposableFactoryBeanSharedByTwoNamesIsDisposedOnce() {
		Map<String, Long> stock = run(Flavor.STOCK, SharedInstanceConformanceTests::twoFactoryBeans);
		Map<String, Long> starter = run(Flavor.STARTER, SharedInstanceConformanceTests::twoFactoryBeans);
		assertThat(stock).as("stock Spring closes it once per name").isEqualTo(Map.of("close", 2L));
		assertThat(starter).as("the starter disposes the factory exactly once").isEqualTo(Map.of("close", 1L));
	}

	private static void twoFactoryBeans(AnnotationConfigApplicationContext context) {
		ClosingFactoryBean shared = new ClosingFactoryBean();
		shared.setBeanName("shared");
		context.registerBean("firstFactory", ClosingFactoryBean.class, () -> shared);
		context.registerBean("secondFactory", ClosingFactoryBean.class, () -> shared);
	}

	private static Map<String, Long> run(Flavor flavor, Consumer<AnnotationConfigApplicationContext> beans) {
		CallbackJournal journal = CallbackJournal.reset(flavor + " run of a shared instance");
		AnnotationConfigApplicationContext context = ScenarioRunner.context(flavor);
		beans.accept(context);
		context.refresh();
		context.close();
		assertThat(journal.onProxies()).isEmpty();
		return journal.countsOf("shared#1");
	}

	/** A factory that holds a resource itself. */
	public static class ClosingFactoryBean extends Tracked implements FactoryBean<String>, AutoCloseable {

		private static final long serialVersionUID = 1L;

		@Override
		public String getObject() {
			return "product";
		}

		@Override
		public Class<?> getObjectType() {
			return String.class;
		}

		@Override
		public void close() {
			callback("close", 0);
		}

	}

}
