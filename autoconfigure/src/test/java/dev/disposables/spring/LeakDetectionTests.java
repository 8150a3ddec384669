package dev.disposables.spring;

import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.disposables.DisposalEvents;
import dev.disposables.ReportsDisposal;
import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Leak detection at each level, through a real context: prototypes obtained from the bean
 * factory and dropped.
 */
@ExtendWith(OutputCaptureExtension.class)
class LeakDetectionTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class))
		.withUserConfiguration(PrototypeConfig.class);

	@Test
	void simpleLevelReportsALeakPromptlyWithoutKeepingTheInstanceReachable() {
		this.runner.run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			WeakReference<Object> dropped = new WeakReference<>(context.getBean("connection"));
			awaitLeaks(registry, 1);
			// Detection held no strong reference: the instance itself was collected.
			assertThat(dropped.get()).isNull();
			List<LeakReport> leaks = registry.recentLeaks();
			assertThat(leaks).singleElement().satisfies((leak) -> {
				assertThat(leak.beanName()).isEqualTo("connection");
				assertThat(leak.type()).isEqualTo(Connection.class.getName());
				assertThat(leak.scope()).isEqualTo("prototype");
				assertThat(leak.detectedAt()).isNotNull();
				assertThat(leak.allocationSite()).isNull();
			});
			assertThat(registry.count("prototype", ResourceState.LIVE)).isZero();
		});
	}

	@Test
	void paranoidLevelRecordsTheAllocationSiteStartingAtTheCaller() {
		this.runner.withPropertyValues("disposables.leak-detection.level=paranoid").run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			allocateAndDrop(context);
			awaitLeaks(registry, 1);
			List<StackTraceElement> site = registry.recentLeaks().get(0).allocationSite();
			assertThat(site).isNotEmpty().hasSizeLessThanOrEqualTo(AllocationSites.MAX_FRAMES);
			assertThat(site.get(0).getClassName()).isEqualTo(LeakDetectionTests.class.getName());
			assertThat(site.get(0).getMethodName()).isEqualTo("allocateAndDrop");
		});
	}

	@Test
	void advancedLevelSamplesAllocationSites() {
		this.runner
			.withPropertyValues("disposables.leak-detection.level=advanced",
					"disposables.leak-detection.sampling-interval=1000000")
			.run((context) -> {
				DisposableRegistry registry = context.getBean(DisposableRegistry.class);
				allocateAndDrop(context);
				awaitLeaks(registry, 1);
				assertThat(registry.recentLeaks().get(0).allocationSite()).isNull();
			});
		this.runner
			.withPropertyValues("disposables.leak-detection.level=advanced",
					"disposables.leak-detection.sampling-interval=1")
			.run((context) -> {
				DisposableRegistry registry = context.getBean(DisposableRegistry.class);
				allocateAndDrop(context);
				awaitLeaks(registry, 1);
				assertThat(registry.recentLeaks().get(0).allocationSite()).isNotEmpty();
			});
	}

	@Test
	void advancedSamplingDoesNotAliasWithAPeriodicAllocationPattern() {
		this.runner
			.withPropertyValues("disposables.leak-detection.level=advanced",
					"disposables.leak-detection.sampling-interval=2")
			.run((context) -> {
				DisposableRegistry registry = context.getBean(DisposableRegistry.class);
				List<Object> held = new ArrayList<>();
				for (int i = 0; i < 200; i++) {
					// Always in the same order: with a counter, one of the two would
					// never be sampled.
					held.add(context.getBean("connection"));
					held.add(context.getBean("otherConnection"));
				}
				for (String bean : List.of("connection", "otherConnection")) {
					assertThat(registry.resources(
							(resource) -> resource.beanName().equals(bean) && resource.allocationSite() != null,
							Integer.MAX_VALUE))
						.as("sampled instances of %s", bean)
						.isNotEmpty()
						.hasSizeLessThan(200);
				}
				assertThat(held).hasSize(400);
			});
	}

	@Test
	void disabledLevelReportsNothing(CapturedOutput output) {
		this.runner.withPropertyValues("disposables.leak-detection.level=disabled").run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			allocateAndDrop(context);
			// The resource still leaves the registry (memory stays flat), silently.
			await().atMost(TIMEOUT).untilAsserted(() -> {
				System.gc();
				assertThat(registry.count("prototype", ResourceState.LIVE)).isZero();
			});
			assertThat(registry.recentLeaks()).isEmpty();
			assertThat(output).doesNotContain("Leak: an instance of bean");
		});
	}

	@Test
	void warnLogIsDeduplicatedPerBeanNameAndAllocationSite(CapturedOutput output) {
		this.runner.withPropertyValues("disposables.leak-detection.level=paranoid").run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			for (int i = 0; i < 5; i++) {
				allocateAndDrop(context);
			}
			allocateAndDropElsewhere(context);
			awaitLeaks(registry, 6);
			String leakLine = "Leak: an instance of bean 'connection'";
			assertThat(output.getOut().split(leakLine, -1)).hasSize(3);
			assertThat(output).contains("at " + LeakDetectionTests.class.getName() + ".allocateAndDrop(")
				.contains("at " + LeakDetectionTests.class.getName() + ".allocateAndDropElsewhere(");
		});
	}

	/**
	 * Issue 23: the allocation site shows the application's frames first and no more than
	 * needed; framework frames (Spring, reflection, the test engine here, the server and
	 * Spring MVC in an application) are left out wherever they are, and counted.
	 */
	@Test
	void allocationSiteKeepsTheApplicationsFramesOnly(CapturedOutput output) {
		this.runner.withPropertyValues("disposables.leak-detection.level=paranoid").run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			Method allocate = ReflectionUtils.findMethod(LeakDetectionTests.class, "allocateAndDrop",
					ApplicationContext.class);
			ReflectionUtils.makeAccessible(allocate);
			// Through Spring's and the JDK's reflection, as a framework calls application
			// code.
			ReflectionUtils.invokeMethod(allocate, null, context);
			awaitLeaks(registry, 1);
			List<StackTraceElement> site = registry.recentLeaks().get(0).allocationSite();
			assertThat(site).isNotEmpty().hasSizeLessThanOrEqualTo(AllocationSites.MAX_FRAMES);
			assertThat(site).extracting(StackTraceElement::getClassName)
				.noneMatch((name) -> name.startsWith("org.springframework.") || name.startsWith("java.")
						|| name.startsWith("jdk.internal.") || name.startsWith("org.junit."));
			assertThat(site.get(0).getMethodName()).isEqualTo("allocateAndDrop");
			assertThat(site.get(1).getMethodName()).startsWith("lambda$allocationSiteKeepsTheApplicationsFramesOnly");
			assertThat(output).containsPattern("\\(\\d+ more frames omitted: the JDK's");
		});
	}

	@Test
	void simpleLevelLogsOncePerBeanName(CapturedOutput output) {
		this.runner.run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			allocateAndDrop(context);
			allocateAndDropElsewhere(context);
			awaitLeaks(registry, 2);
			assertThat(output.getOut().split("Leak: an instance of bean 'connection'", -1)).hasSize(2);
			assertThat(output).contains("disposables.leak-detection.level=advanced");
		});
	}

	@Test
	void recentLeaksAreBoundedAndMostRecentFirst() {
		this.runner.run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			int count = DisposableRegistry.RECENT_LEAKS_CAPACITY + 50;
			for (int i = 0; i < count; i++) {
				allocateAndDrop(context);
			}
			awaitLeaks(registry, count);
			List<LeakReport> leaks = registry.recentLeaks();
			assertThat(leaks).hasSize(DisposableRegistry.RECENT_LEAKS_CAPACITY);
			assertThat(leaks.get(0).detectedAt()).isAfterOrEqualTo(leaks.get(leaks.size() - 1).detectedAt());
		});
	}

	@Test
	void strongTrackingNeverLeaks() {
		this.runner.withPropertyValues("disposables.prototypes.tracking=strong").run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			allocateAndDrop(context);
			System.gc();
			assertThat(registry.count("prototype", ResourceState.LIVE)).isEqualTo(1);
			assertThat(registry.recentLeaks()).isEmpty();
		});
	}

	private static void allocateAndDrop(ApplicationContext context) {
		context.getBean("connection");
	}

	private static void allocateAndDropElsewhere(ApplicationContext context) {
		context.getBean("connection");
	}

	private static void awaitLeaks(DisposableRegistry registry, long count) {
		await().atMost(TIMEOUT).untilAsserted(() -> {
			System.gc();
			assertThat(registry.count("prototype", ResourceState.LEAKED)).isEqualTo(count);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class PrototypeConfig {

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		Connection connection() {
			return new Connection();
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		Connection otherConnection() {
			return new Connection();
		}

	}

	@ReportsDisposal
	static class Connection implements AutoCloseable {

		@Override
		public void close() {
			DisposalEvents.disposed(this);
		}

		@Override
		public String toString() {
			throw new AssertionError("toString() must never be called on a managed instance");
		}

	}

}
