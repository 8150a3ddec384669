package dev.disposables.spring;

import java.lang.reflect.Method;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;

/**
 * Registers reflection hints for the methods the starter invokes itself when it disposes
 * a bean (async destroy methods and {@code @PreDestroy} methods), so that disposal works
 * the same in a native image. Declared and inferred destroy methods are already covered
 * by Spring's own AOT processing.
 */
class DisposablesBeanRegistrationAotProcessor implements BeanRegistrationAotProcessor {

	@Override
	public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		List<Method> methods = DisposalPlanner.reflectivelyInvokedMethods(registeredBean.getBeanClass());
		if (methods.isEmpty()) {
			return null;
		}
		return (generationContext, beanRegistrationCode) -> {
			ReflectionHints reflection = generationContext.getRuntimeHints().reflection();
			methods.forEach((method) -> reflection.registerMethod(method, ExecutableMode.INVOKE));
		};
	}

}
