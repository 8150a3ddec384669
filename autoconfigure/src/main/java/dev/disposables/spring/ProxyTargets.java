package dev.disposables.spring;

import org.springframework.aop.framework.AopProxyUtils;

/**
 * Finds the bean behind Spring AOP proxies. Spring runs destruction callbacks on the raw
 * bean, never on a proxy of it, so the starter tracks and disposes the same object.
 */
final class ProxyTargets {

	private ProxyTargets() {
	}

	/**
	 * The object behind any number of Spring AOP proxies with a fixed (singleton) target.
	 * @param bean a bean, possibly a proxy
	 * @return the innermost target, or the bean itself when it is not such a proxy
	 */
	static Object ultimateTarget(Object bean) {
		Object current = bean;
		Object target = AopProxyUtils.getSingletonTarget(current);
		while (target != null && target != current) {
			current = target;
			target = AopProxyUtils.getSingletonTarget(current);
		}
		return current;
	}

}
