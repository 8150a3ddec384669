package dev.disposables.test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposalScope;
import dev.disposables.spring.DisposalScopes;
import dev.disposables.spring.ResourceState;
import dev.disposables.test.LeakCheckTestApplication.BaseSession;
import dev.disposables.test.LeakCheckTestApplication.Holder;
import dev.disposables.test.LeakCheckTestApplication.PlainSession;
import dev.disposables.test.LeakCheckTestApplication.Session;
import dev.disposables.test.LeakCheckTestApplication.SlowSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestExecutionListeners;
import org.springframework.test.context.support.DependencyInjectionTestExecutionListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * {@link DisposablesLeakCheck @DisposablesLeakCheck} on {@code @SpringBootTest} classes,
 * run through the test kit: what fails, with which message, and what passes.
 */
class DisposablesLeakCheckTests {

	/** Identity of the application context each shared-context case ran with. */
	static final List<Integer> contexts = new CopyOnWriteArrayList<>();

	@AfterEach
	void release() {
		LeakCheckTestApplication.kept.clear();
		contexts.clear();
	}

	@Test
	void aPrototypeLeftUndisposedFailsTheTestNamingBeanTypeScopeAndAllocationSite() {
		TestExecutionResult result = run("leavesAPrototypeUndisposed");
		assertThat(result.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
		assertThat(result.getThrowable()).get()
			.isInstanceOf(AssertionError.class)
			.extracting(Throwable::getMessage)
			.asString()
			.startsWith(
					"DisposablesLeakCheckTests.Cases.leavesAPrototypeUndisposed() left 1 resource undisposed (after waiting 1000 ms for "
							+ "disposals in flight):")
			.contains("bean 'session' (" + Session.class.getName() + ", scope prototype) LIVE for ")
			.contains("allocated at " + Cases.class.getName() + ".leavesAPrototypeUndisposed(")
			.contains("@DisposablesLeakCheck(enabled = false)")
			.doesNotContain("org.junit.")
			.doesNotContain("otherSession");
	}

	/**
	 * Issue 23: a test that closes what it gets, with try-with-resources, passes whatever
	 * the kind, also when the starter cannot see the {@code close()}.
	 */
	@Test
	void prototypesTheTestClosesItselfPassWhateverTheKind() {
		assertThat(run("closesPrototypesItself").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
	}

	@Test
	void aDisposableBaseLeftUndisposedFails() {
		TestExecutionResult result = run("leavesADisposableBaseUndisposed");
		assertThat(result.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
		assertThat(result.getThrowable()).get()
			.extracting(Throwable::getMessage)
			.asString()
			.contains("left 1 resource undisposed")
			.contains("bean 'baseSession'");
	}

	@Test
	void whatTheTestDisposesPasses() {
		assertThat(run("disposesWhatItCreates").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
	}

	@Test
	void aMethodCanOptOut() {
		assertThat(run("optsOut").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
	}

	@Test
	void anAsyncDisposalStillRunningAtTheEndIsAwaitedWithinTheGracePeriod() {
		assertThat(run("disposesAsynchronously").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
	}

	@Test
	void withoutAGracePeriodADisposalStillRunningFails() {
		TestExecutionResult result = run("disposesAsynchronouslyWithoutGracePeriod");
		TestKit.assertFailedWithMessage(result)
			.contains("left 1 resource undisposed:")
			.contains("bean 'slowSession' (" + SlowSession.class.getName() + ", scope prototype) DISPOSING");
	}

	@Test
	void onlyTheListedScopesCount() {
		assertThat(run("checksOnlyDisposalScopedBeans").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
	}

	@Test
	void aLazySingletonAndThePrototypeInjectedIntoItAreTheContextsBusiness() {
		assertThat(run("createsALazySingleton").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
	}

	@Test
	void aResourceGarbageCollectedUndisposedFailsAsALeak() {
		TestExecutionResult result = run("dropsAPrototype");
		TestKit.assertFailedWithMessage(result)
			.contains("DisposablesLeakCheckTests.Cases.dropsAPrototype() leaked 1 resource:")
			.contains("Leaked (garbage-collected without being disposed):")
			.contains("bean 'session' (" + Session.class.getName() + ", scope prototype) LEAKED, allocated at "
					+ Cases.class.getName() + ".dropsAPrototype(");
	}

	@Test
	void aTestThatFailsReportsItsOwnFailureOnly() {
		TestExecutionResult result = run("failsAndLeaves");
		Throwable failure = result.getThrowable().orElseThrow();
		assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessage("boom");
		assertThat(failure.getSuppressed()).isEmpty();
	}

	@Test
	void aTestWhoseListenersReplacedSpringsDefaultsFailsInsteadOfPassingUnchecked() {
		TestExecutionResult result = TestKit.results(TestKit.run(selectClass(WithoutDefaultListeners.class)))
			.get("leaves()");
		TestKit.assertFailedWithMessage(result)
			.contains("@DisposablesLeakCheck could not check WithoutDefaultListeners.leaves()")
			.contains("MERGE_WITH_DEFAULTS");
	}

	@Test
	void aContextDirtiedByTheMethodIsCheckedBeforeItIsClosed() {
		// Checked after the close, the shutdown would have disposed the session and the
		// test would pass.
		TestExecutionResult result = TestKit.results(TestKit.run(selectClass(DirtiesItsContext.class)))
			.get("leavesASessionAndDirtiesTheContext()");
		TestKit.assertFailedWithMessage(result).contains("left 1 resource undisposed").contains("bean 'session'");
	}

	@Test
	void aClassThatIsNotASpringTestFailsAndPointsToTheRunnerHelper() {
		TestExecutionResult result = TestKit.results(TestKit.run(selectClass(NotASpringTest.class))).get("runs()");
		TestKit.assertFailedWithMessage(result).contains("LeakCheck.leakChecked");
	}

	@Test
	void aCachedContextSharedByTwoClassesAttributesEachResourceToTheTestThatCreatedIt() {
		Map<String, TestExecutionResult> results = TestKit
			.results(TestKit.run(selectClass(FirstSharing.class), selectClass(SecondSharing.class)));
		assertThat(results).containsOnlyKeys("leavesASession()", "leavesAnotherSession()", "leavesNothing()");
		assertThat(contexts).hasSize(3).containsOnly(contexts.get(0)); // one context,
																		// from the cache
		assertThat(results.get("leavesASession()").getThrowable()).get()
			.extracting(Throwable::getMessage)
			.asString()
			.startsWith("DisposablesLeakCheckTests.FirstSharing.leavesASession() left 1 resource undisposed")
			.contains("bean 'session'")
			.doesNotContain("otherSession");
		assertThat(results.get("leavesAnotherSession()").getThrowable()).get()
			.extracting(Throwable::getMessage)
			.asString()
			.startsWith("DisposablesLeakCheckTests.SecondSharing.leavesAnotherSession() left 1 resource undisposed")
			.contains("bean 'otherSession'")
			.doesNotContain("bean 'session'");
		assertThat(results.get("leavesNothing()").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
	}

	private static TestExecutionResult run(String method) {
		Map<String, TestExecutionResult> results = TestKit.results(TestKit.run(selectMethod(Cases.class, method)));
		assertThat(results).containsOnlyKeys(method + "()");
		return results.get(method + "()");
	}

	@TestKit.Case
	@SpringBootTest(classes = LeakCheckTestApplication.class)
	@DisposablesLeakCheck
	static class Cases {

		@Autowired
		ApplicationContext context;

		@Autowired
		DisposableRegistry registry;

		@Autowired
		DisposalScopes scopes;

		@Test
		void leavesAPrototypeUndisposed() {
			LeakCheckTestApplication.kept.add(this.context.getBean("session"));
		}

		@Test
		void disposesWhatItCreates() throws Exception {
			Session session = this.context.getBean("session", Session.class);
			LeakCheckTestApplication.kept.add(session);
			this.registry.dispose(session).toCompletableFuture().join();
			try (DisposalScope scope = this.scopes.open()) {
				LeakCheckTestApplication.kept.add(scope.getBean(SlowSession.class));
			}
		}

		@Test
		void closesPrototypesItself() throws Exception {
			for (int i = 0; i < 50; i++) {
				try (PlainSession plain = this.context.getBean(PlainSession.class);
						BaseSession base = this.context.getBean(BaseSession.class)) {
					LeakCheckTestApplication.kept.add(plain);
					LeakCheckTestApplication.kept.add(base);
				}
			}
		}

		@Test
		void leavesADisposableBaseUndisposed() {
			LeakCheckTestApplication.kept.add(this.context.getBean(BaseSession.class));
		}

		@Test
		@DisposablesLeakCheck(enabled = false)
		void optsOut() {
			LeakCheckTestApplication.kept.add(this.context.getBean("session"));
		}

		@Test
		void disposesAsynchronously() {
			SlowSession session = this.context.getBean(SlowSession.class);
			LeakCheckTestApplication.kept.add(session);
			this.registry.dispose(session); // not awaited: done 200 ms after the test
		}

		@Test
		@DisposablesLeakCheck(gracePeriod = "0")
		void disposesAsynchronouslyWithoutGracePeriod() {
			disposesAsynchronously();
		}

		@Test
		@DisposablesLeakCheck(scopes = "disposal")
		void checksOnlyDisposalScopedBeans() {
			LeakCheckTestApplication.kept.add(this.context.getBean("session"));
		}

		@Test
		void createsALazySingleton() {
			LeakCheckTestApplication.kept.add(this.context.getBean(Holder.class));
		}

		@Test
		void dropsAPrototype() {
			long before = this.registry.count("prototype", ResourceState.LEAKED);
			this.context.getBean("session");
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				System.gc();
				return this.registry.count("prototype", ResourceState.LEAKED) > before;
			});
		}

		@Test
		void failsAndLeaves() {
			LeakCheckTestApplication.kept.add(this.context.getBean("session"));
			throw new IllegalStateException("boom");
		}

	}

	@TestKit.Case
	@SpringBootTest(classes = LeakCheckTestApplication.class)
	@DisposablesLeakCheck
	static class FirstSharing {

		@Autowired
		ApplicationContext context;

		@Test
		void leavesASession() {
			contexts.add(System.identityHashCode(this.context));
			LeakCheckTestApplication.kept.add(this.context.getBean("session"));
		}

	}

	@TestKit.Case
	@SpringBootTest(classes = LeakCheckTestApplication.class)
	@DisposablesLeakCheck
	static class SecondSharing {

		@Autowired
		ApplicationContext context;

		@Autowired
		DisposableRegistry registry;

		@Test
		void leavesAnotherSession() {
			contexts.add(System.identityHashCode(this.context));
			LeakCheckTestApplication.kept.add(this.context.getBean("otherSession"));
		}

		@Test
		void leavesNothing() {
			contexts.add(System.identityHashCode(this.context));
			this.registry.dispose(this.context.getBean("session")).toCompletableFuture().join();
		}

	}

	@TestKit.Case
	@SpringBootTest(classes = LeakCheckTestApplication.class)
	@TestExecutionListeners(DependencyInjectionTestExecutionListener.class)
	@DisposablesLeakCheck
	static class WithoutDefaultListeners {

		@Autowired
		ApplicationContext context;

		@Test
		void leaves() {
			LeakCheckTestApplication.kept.add(this.context.getBean("session"));
		}

	}

	@TestKit.Case
	@SpringBootTest(classes = LeakCheckTestApplication.class, properties = "dirtied=true")
	@DisposablesLeakCheck
	static class DirtiesItsContext {

		@Autowired
		ApplicationContext context;

		@Test
		@DirtiesContext(methodMode = DirtiesContext.MethodMode.AFTER_METHOD)
		void leavesASessionAndDirtiesTheContext() {
			LeakCheckTestApplication.kept.add(this.context.getBean("session"));
		}

	}

	@TestKit.Case
	@DisposablesLeakCheck
	static class NotASpringTest {

		@Test
		void runs() {
		}

	}

}
