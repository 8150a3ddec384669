package dev.disposables.spring;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanFactory;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.core.metrics.ApplicationStartup;

/**
 * Registers the {@value DisposalScoped#SCOPE_NAME} scope and starts recording which bean is being created on each
 * thread, so that a prototype injected into a bean is owned by that bean (see {@code CreationFrames}).
 *
 * <p>Declare it as a {@code static} bean method, as every {@link BeanFactoryPostProcessor}.
 */
public class DisposalScopesBeanFactoryPostProcessor implements BeanFactoryPostProcessor, PriorityOrdered {

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
		if (beanFactory.getRegisteredScope(DisposalScoped.SCOPE_NAME) == null) {
			beanFactory.registerScope(DisposalScoped.SCOPE_NAME, new DisposalBeanScope());
		}
		if (beanFactory instanceof AbstractBeanFactory factory
				&& !(factory.getApplicationStartup() instanceof CreationFrames.TrackingApplicationStartup)) {
			ApplicationStartup startup = factory.getApplicationStartup();
			factory.setApplicationStartup(new CreationFrames.TrackingApplicationStartup(startup, beanFactory));
		}
	}

}
