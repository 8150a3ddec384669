package dev.disposables.benchmarks;

import java.util.LinkedList;
import java.util.List;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * The baseline of the retention benchmark: the "destroy prototype beans" post-processor
 * widely copied from Stack Overflow answers and blog posts, written the way it is usually
 * copied — every prototype instance goes into a list, and the list is disposed when the
 * context closes. It disposes prototypes, but keeps every one of them reachable until
 * shutdown, whether the application still uses it or not.
 */
public class DestroyPrototypeBeansPostProcessor implements BeanPostProcessor, BeanFactoryAware, DisposableBean {

	private final List<Object> prototypeBeans = new LinkedList<>();

	private BeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (this.beanFactory.containsBean(beanName) && this.beanFactory.isPrototype(beanName)) {
			synchronized (this.prototypeBeans) {
				this.prototypeBeans.add(bean);
			}
		}
		return bean;
	}

	@Override
	public void destroy() throws Exception {
		synchronized (this.prototypeBeans) {
			for (Object bean : this.prototypeBeans) {
				if (bean instanceof DisposableBean disposable) {
					disposable.destroy();
				}
				else if (bean instanceof AutoCloseable closeable) {
					closeable.close();
				}
			}
			this.prototypeBeans.clear();
		}
	}

}
