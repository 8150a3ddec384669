package dev.disposables.spring;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ObjectUtils;

/**
 * The dependencies the starter recorded itself in a bean factory's dependent-bean graph
 * (a bean resolved through an {@code ObjectProvider} or {@code getBean} while another was
 * being created, one instance under two names), as opposed to those Spring declared: the
 * disposal graph's view labels its edges with it. One per bean factory, holding bean
 * names only.
 *
 * <p>
 * Spring's graph cannot tell who added a pair, so a pair counts as observed only if
 * Spring did not have it when the starter added it. That is enough because Spring records
 * a declared dependency before the starter sees the dependency created
 * ({@code @DependsOn}), or the starter sees it declared first: a candidate of a plain
 * injection point is checked by the {@link ObservingAutowireCandidateResolver} (which
 * records it without calling it observed) before it is created.
 */
final class ObservedDependencies {

	/** Weak keys: the value holds names only, never the factory. */
	private static final Map<ConfigurableListableBeanFactory, ObservedDependencies> byFactory = Collections
		.synchronizedMap(new WeakHashMap<>());

	/** Dependent to the beans it depends on, as recorded by the starter only. */
	private final ConcurrentHashMap<String, Set<String>> observed = new ConcurrentHashMap<>();

	static ObservedDependencies of(ConfigurableListableBeanFactory beanFactory) {
		return byFactory.computeIfAbsent(beanFactory, (key) -> new ObservedDependencies());
	}

	/**
	 * Records in Spring's graph that {@code dependent} depends on {@code beanName}, which
	 * Spring would not record: an observation, unless Spring has recorded the pair
	 * already.
	 * @param beanFactory the bean factory to record in
	 * @param beanName the name of the bean depended on
	 * @param dependent the name of the dependent bean
	 */
	void record(ConfigurableListableBeanFactory beanFactory, String beanName, String dependent) {
		if (!ObjectUtils.containsElement(beanFactory.getDependentBeans(beanName), dependent)) {
			beanFactory.registerDependentBean(beanName, dependent);
			this.observed.computeIfAbsent(dependent, (key) -> ConcurrentHashMap.newKeySet()).add(beanName);
		}
	}

	/**
	 * Records in Spring's graph that {@code dependent} depends on {@code beanName},
	 * resolved through one of its declared injection points: Spring records it too once
	 * resolved, so it is no observation.
	 * @param beanFactory the bean factory to record in
	 * @param beanName the name of the bean depended on
	 * @param dependent the name of the dependent bean
	 */
	void recordDeclared(ConfigurableListableBeanFactory beanFactory, String beanName, String dependent) {
		beanFactory.registerDependentBean(beanName, dependent);
	}

	/**
	 * Whether the starter recorded that {@code dependent} depends on {@code beanName} and
	 * Spring had not.
	 * @param beanName the name of the bean depended on
	 * @param dependent the name of the dependent bean
	 * @return whether the dependency is an observation of the starter
	 */
	boolean isObserved(String beanName, String dependent) {
		Set<String> dependencies = this.observed.get(dependent);
		return dependencies != null && dependencies.contains(beanName);
	}

}
