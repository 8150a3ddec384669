package dev.disposables.spring;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a native image needs of the starter's own code, declared by
 * {@link DisposablesRuntimeHints} (registered in {@code META-INF/spring/aot.factories}).
 */
class DisposablesRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	DisposablesRuntimeHintsTests() {
		new DisposablesRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void registrarAndProcessorAreFoundInAotFactories() {
		assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
			.anyMatch(DisposablesRuntimeHints.class::isInstance);
		assertThat(AotServices.factories().load(BeanRegistrationAotProcessor.class))
			.anyMatch(DisposablesBeanRegistrationAotProcessor.class::isInstance);
	}

	@Test
	void thePostProcessorAndItsRestoredStandInAreSerializable() {
		assertThat(RuntimeHintsPredicates.reflection().onJavaSerialization(DisposablesBeanPostProcessor.class, true))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onJavaSerialization(DisposablesRuntimeHints.RESTORED_BEAN_DISPOSER, true)).accepts(this.hints);
		// the name is the stand-in's real name
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		DisposablesBeanPostProcessor processor = new DisposablesBeanPostProcessor(
				beanFactory.getBeanProvider(DisposableRegistry.class),
				beanFactory.getBeanProvider(ScopedResourceTracker.class));
		assertThat(processor.writeReplace().getClass().getName())
			.isEqualTo(DisposablesRuntimeHints.RESTORED_BEAN_DISPOSER.getName());
	}

	@Test
	void virtualThreadsNeedNoReflection() {
		// Spring's VirtualThreadTaskExecutor builds them (a multi-release class)
		assertThat(this.hints.reflection().getTypeHint(TypeReference.of(Thread.class))).isNull();
	}

	@Test
	void theScopeAccessorIsFoundThroughServiceLoader() throws NoSuchMethodException {
		assertThat(RuntimeHintsPredicates.resource().forResource(DisposablesRuntimeHints.THREAD_LOCAL_ACCESSOR_SERVICE))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onConstructorInvocation(DisposalScopeThreadLocalAccessor.class.getDeclaredConstructor()))
			.accepts(this.hints);
		assertThat(DisposablesRuntimeHints.THREAD_LOCAL_ACCESSOR.getName())
			.isEqualTo(DisposalScopeThreadLocalAccessor.class.getName());
	}

}
