package dev.disposables.test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.disposables.DisposalEvents;
import dev.disposables.ReportsDisposal;
import dev.disposables.spring.DisposalScope;
import dev.disposables.spring.DisposalScopes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.json.JsonTest;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Test slices include only the auto-configurations they list: with
 * {@link AutoConfigureDisposables} they get the registry, the scopes and request-scope
 * disposal, and the leak check works; without it the check says what is missing.
 */
class TestSliceTests {

	static final List<Object> kept = new CopyOnWriteArrayList<>();

	@AfterEach
	void release() {
		kept.clear();
	}

	@Test
	void aWebMvcSliceWhoseControllerLeavesAPrototypeFails() {
		TestExecutionResult result = TestKit.results(TestKit.run(selectClass(LeakingController.class)))
			.get("callsTheLeakingEndpoint()");
		TestKit.assertFailedWithMessage(result)
			.startsWith("TestSliceTests.LeakingController.callsTheLeakingEndpoint() left 1 resource undisposed")
			.contains("bean 'buffer' (" + Buffer.class.getName() + ", scope prototype) LIVE")
			.contains("allocated at " + ReportController.class.getName() + ".leak(")
			.doesNotContain("org.springframework.");
	}

	@Test
	void aSliceWithoutAutoConfigureDisposablesFailsSayingWhatIsMissing() {
		TestExecutionResult result = TestKit.results(TestKit.run(selectClass(JsonSliceWithoutDisposables.class)))
			.get("runs()");
		TestKit.assertFailedWithMessage(result)
			.contains("No DisposableRegistry in the application context")
			.contains("@AutoConfigureDisposables");
	}

	@TestKit.Case
	@WebMvcTest
	@AutoConfigureDisposables
	@DisposablesLeakCheck
	static class LeakingController {

		@Autowired
		MockMvc mvc;

		@Test
		void callsTheLeakingEndpoint() throws Exception {
			this.mvc.perform(get("/leak")).andExpect(status().isOk());
		}

		@Configuration(proxyBeanMethods = false)
		@Import({ ReportController.class, WebMvcSliceTests.Config.class })
		static class Config {

		}

	}

	@TestKit.Case
	@JsonTest
	@DisposablesLeakCheck
	static class JsonSliceWithoutDisposables {

		@Test
		void runs() {
		}

		@Configuration(proxyBeanMethods = false)
		static class Config {

		}

	}

	@RestController
	static class ReportController {

		private final ObjectProvider<RequestLog> log;

		private final ObjectProvider<DisposalScopes> scopes;

		private final ObjectProvider<Buffer> buffers;

		ReportController(ObjectProvider<RequestLog> log, ObjectProvider<DisposalScopes> scopes,
				ObjectProvider<Buffer> buffers) {
			this.log = log;
			this.scopes = scopes;
			this.buffers = buffers;
		}

		@GetMapping("/report")
		Map<String, Object> report() throws Exception {
			this.log.getObject().add("report");
			try (DisposalScope scope = this.scopes.getObject().open()) {
				scope.getBean(Buffer.class).append("line");
			}
			return Map.of("ok", true);
		}

		@GetMapping("/leak")
		Map<String, Object> leak() {
			kept.add(this.buffers.getObject());
			return Map.of("ok", true);
		}

	}

	static class RequestLog implements AutoCloseable {

		private final List<String> events = new CopyOnWriteArrayList<>();

		void add(String event) {
			this.events.add(event);
		}

		@Override
		public void close() {
			this.events.clear();
		}

	}

	/** Announces its disposal, so that the check can tell one left undisposed. */
	@ReportsDisposal
	static class Buffer implements AutoCloseable {

		private final StringBuilder content = new StringBuilder();

		void append(String line) {
			this.content.append(line);
		}

		@Override
		public void close() {
			DisposalEvents.disposed(this);
			this.content.setLength(0);
		}

	}

}
