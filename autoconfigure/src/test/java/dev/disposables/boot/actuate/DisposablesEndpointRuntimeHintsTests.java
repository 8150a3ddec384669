package dev.disposables.boot.actuate;

import dev.disposables.boot.actuate.DisposablesEndpoint.DisposableResourceDescriptor;
import dev.disposables.boot.actuate.DisposablesEndpoint.DisposablesDescriptor;
import dev.disposables.boot.actuate.DisposablesEndpoint.LeakDescriptor;
import dev.disposables.boot.actuate.DisposablesEndpoint.ScopeSummaryDescriptor;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.annotation.MergedAnnotations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint's JSON in a native image: every descriptor, nested ones included, can be
 * read by Jackson.
 */
class DisposablesEndpointRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	DisposablesEndpointRuntimeHintsTests() {
		new DisposablesEndpointRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void everyDescriptorsComponentsCanBeReadForJson() {
		assertComponentsReadable(DisposablesDescriptor.class, "summary", "open", "resources", "leaks", "links");
		assertComponentsReadable(InvalidParameterDescriptor.class, "status", "error", "parameter", "value", "accepted",
				"message");
		assertComponentsReadable(ScopeSummaryDescriptor.class, "live", "disposing", "disposed", "failed", "timedOut",
				"leaked", "collected");
		assertComponentsReadable(DisposableResourceDescriptor.class, "id", "beanName", "type", "scope", "state", "mode",
				"createdAt", "age", "allocationSite");
		assertComponentsReadable(LeakDescriptor.class, "beanName", "type", "scope", "detectedAt", "allocationSite");
	}

	@Test
	void registeredWithTheEndpoint() {
		assertThat(
				MergedAnnotations.from(DisposablesEndpoint.class).get(ImportRuntimeHints.class).getClassArray("value"))
			.contains(DisposablesEndpointRuntimeHints.class);
	}

	private void assertComponentsReadable(Class<?> type, String... components) {
		assertThat(RuntimeHintsPredicates.reflection().onType(type)).accepts(this.hints);
		for (String component : components) {
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(type, component))
				.as("%s.%s()", type.getSimpleName(), component)
				.accepts(this.hints);
		}
	}

}
