package dev.disposables.spring;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * The singletons Spring still destroys itself in {@code destroySingletons()}: those the
 * starter does not take over (a {@code destroyMethod = ""} bean with a
 * {@code @PreDestroy}, an infrastructure bean, a {@code DisposableBean} that opted out of
 * the starter). Such a bean may use a resource in its own destruction, so the shutdown
 * graph has Spring destroy it ({@code destroySingleton}) before that resource is
 * disposed.
 *
 * <p>
 * Why {@code destroySingleton} on the starter's thread, in graph order, rather than
 * holding the resource back until Spring's {@code destroySingletons()}: Spring's own
 * guarantee is kept either way ({@code destroySingleton} destroys the bean's dependents
 * first, as {@code destroySingletons()} would, and removes it so that Spring does not
 * destroy it twice), but a resource held back would be disposed after the starter's
 * shutdown has returned, outside its overall deadline, on the closing thread and without
 * the parallelism of independent resources. A destroy callback that hangs holds up only
 * the resources it uses, until the overall deadline; stock Spring would hang forever.
 */
final class SpringDestroyedSingletons {

	/** For a shutdown without a bean factory (tests): no bean is left to Spring. */
	static final SpringDestroyedSingletons NONE = new SpringDestroyedSingletons(null);

	private final @Nullable DefaultListableBeanFactory beanFactory;

	private @Nullable List<DestructionAwareBeanPostProcessor> destructionAware;

	SpringDestroyedSingletons(@Nullable ConfigurableListableBeanFactory beanFactory) {
		this.beanFactory = (beanFactory instanceof DefaultListableBeanFactory factory) ? factory : null;
	}

	/**
	 * Whether Spring will destroy the bean itself: a singleton of this bean factory,
	 * still there, that the starter does not manage and that has something to destroy
	 * (the very test Spring applied when it registered the bean's destruction, give or
	 * take a bean with nothing to destroy, for which {@code destroySingleton} is
	 * harmless).
	 * @param beanName the bean's name
	 * @return whether Spring still destroys it
	 */
	boolean destroys(String beanName) {
		DefaultListableBeanFactory factory = this.beanFactory;
		if (factory == null || !factory.containsBeanDefinition(beanName)) {
			return false; // a manually registered singleton: Spring never destroys those
		}
		Object bean = factory.getSingleton(beanName);
		BeanDefinition merged = factory.getMergedBeanDefinition(beanName);
		if (bean == null || !(merged instanceof RootBeanDefinition definition) || !definition.isSingleton()
				|| definition.isExternallyManagedDestroyMethod(DisposablesBeanPostProcessor.MANAGED_MARKER)) {
			return false;
		}
		if (hasDestroyMethod(bean, definition)) {
			return true;
		}
		for (DestructionAwareBeanPostProcessor processor : destructionAware(factory)) {
			if (processor.requiresDestruction(bean)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * What Spring's {@code DisposableBeanAdapter.hasDestroyMethod} (not public) decides:
	 * a {@link DisposableBean} (called even with {@code destroyMethod = ""}), a declared
	 * destroy method, or one Spring infers: {@code close} or {@code shutdown} of a bean
	 * whose definition asks for inference, or of any {@link AutoCloseable}.
	 * @param bean the singleton
	 * @param definition its merged definition
	 * @return whether Spring calls a destroy method of the bean
	 */
	private static boolean hasDestroyMethod(Object bean, RootBeanDefinition definition) {
		if (bean instanceof DisposableBean) {
			return true;
		}
		String[] names = definition.getDestroyMethodNames();
		if (names == null || names.length == 0) {
			return bean instanceof AutoCloseable;
		}
		for (String name : names) {
			if (AbstractBeanDefinition.INFER_METHOD.equals(name)) {
				if (bean instanceof AutoCloseable || hasPublicNoArgMethod(bean, "close")
						|| hasPublicNoArgMethod(bean, "shutdown")) {
					return true;
				}
			}
			else if (StringUtils.hasLength(name)) {
				return true;
			}
		}
		return false;
	}

	private static boolean hasPublicNoArgMethod(Object bean, String name) {
		return ClassUtils.hasMethod(bean.getClass(), name);
	}

	/**
	 * Has Spring destroy the bean now, its Spring dependents first; Spring logs a failing
	 * callback, as it does in {@code destroySingletons()}.
	 * @param beanName the bean's name
	 */
	void destroy(String beanName) {
		DefaultListableBeanFactory factory = this.beanFactory;
		if (factory != null) {
			factory.destroySingleton(beanName);
		}
	}

	/**
	 * Spring's destruction-aware processors but the starter's own, which claims every
	 * type it could plan, whoever destroys it.
	 * @param factory the bean factory
	 * @return the processors, found once
	 */
	private List<DestructionAwareBeanPostProcessor> destructionAware(DefaultListableBeanFactory factory) {
		List<DestructionAwareBeanPostProcessor> processors = this.destructionAware;
		if (processors == null) {
			processors = new ArrayList<>();
			for (BeanPostProcessor processor : factory.getBeanPostProcessors()) {
				if (processor instanceof DestructionAwareBeanPostProcessor destructionAwareProcessor
						&& !(processor instanceof DisposablesBeanPostProcessor)) {
					processors.add(destructionAwareProcessor);
				}
			}
			this.destructionAware = processors;
		}
		return processors;
	}

}
