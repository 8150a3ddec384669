package dev.disposables.boot.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.annotation.MergedAnnotations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Binding {@code disposables.*} in a native image: the starter binds
 * {@link DisposablesProperties} itself, nested groups included.
 */
class DisposablesPropertiesRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	DisposablesPropertiesRuntimeHintsTests() {
		new DisposablesPropertiesRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void propertiesAndNestedGroupsCanBeBound() {
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(DisposablesProperties.class, "setEnabled"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(DisposablesProperties.Shutdown.class, "setPerResourceTimeout")).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(DisposablesProperties.Prototypes.class, "setTracking")).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(DisposablesProperties.LeakDetection.class, "setSamplingInterval")).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(DisposablesProperties.Scopes.class, "setPropagateToTaskExecutors")).accepts(this.hints);
	}

	@Test
	void registeredWithTheAutoConfiguration() {
		assertThat(MergedAnnotations.from(DisposablesAutoConfiguration.class)
			.get(ImportRuntimeHints.class)
			.getClassArray("value")).contains(DisposablesPropertiesRuntimeHints.class);
	}

}
