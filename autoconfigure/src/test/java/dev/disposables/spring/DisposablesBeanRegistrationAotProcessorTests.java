package dev.disposables.spring;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.PreDestroy;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The methods the starter invokes reflectively get runtime hints, and the processor is
 * registered for AOT.
 */
class DisposablesBeanRegistrationAotProcessorTests {

	@Test
	void processorIsRegisteredInAotFactories() {
		assertThat(AotServices.factories().load(BeanRegistrationAotProcessor.class))
			.hasAtLeastOneElementOfType(DisposablesBeanRegistrationAotProcessor.class);
	}

	@Test
	void asyncAndPreDestroyMethodsAreRegisteredForInvocation() throws Exception {
		DefaultGenerationContext generationContext = contribute(Flusher.class);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Flusher.class.getMethod("closeAsync")))
			.accepts(generationContext.getRuntimeHints());
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(Flusher.class.getDeclaredMethod("beforeDestroy")))
			.accepts(generationContext.getRuntimeHints());
	}

	@Test
	void plainBeansContributeNothing() {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerBeanDefinition("plain", new RootBeanDefinition(String.class));
		assertThat(new DisposablesBeanRegistrationAotProcessor()
			.processAheadOfTime(RegisteredBean.of(beanFactory, "plain"))).isNull();
	}

	private static DefaultGenerationContext contribute(Class<?> beanClass) {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerBeanDefinition("bean", new RootBeanDefinition(beanClass));
		BeanRegistrationAotContribution contribution = new DisposablesBeanRegistrationAotProcessor()
			.processAheadOfTime(RegisteredBean.of(beanFactory, "bean"));
		assertThat(contribution).isNotNull();
		DefaultGenerationContext generationContext = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("com.example", "Test")), new InMemoryGeneratedFiles());
		contribution.applyTo(generationContext, null);
		return generationContext;
	}

	static class Flusher {

		public CompletionStage<Void> closeAsync() {
			return CompletableFuture.completedFuture(null);
		}

		@PreDestroy
		void beforeDestroy() {
		}

	}

}
