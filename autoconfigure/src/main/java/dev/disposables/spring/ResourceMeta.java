package dev.disposables.spring;

import dev.disposables.DisposableBase;
import dev.disposables.ReportsDisposal;
import org.jspecify.annotations.Nullable;

/**
 * What every resource of one bean definition (and instance class) shares: one object per
 * definition rather than five fields per tracked instance, so that a
 * {@link ManagedResource} stays small (see there why that matters).
 *
 * @param springBeanName the name in the bean factory (a scoped target keeps its
 * {@code scopedTarget.} prefix)
 * @param beanName the name shown to users
 * @param type the user's class name (not a CGLIB subclass)
 * @param scope the scope name
 * @param plan how to dispose the instances
 * @param counters the counters of the scope; {@code null} for an anchor, which is never
 * counted
 * @param instanceClass the class of the instances, to tell apart the products of one
 * definition
 * @param kind what the resources stand for
 */
record ResourceMeta(String springBeanName, String beanName, String type, String scope, DisposalPlan plan,
		@Nullable ScopeCounters counters, Class<?> instanceClass, ResourceKind kind) {

	/**
	 * Whether the registry learns of a disposal by the user of an instance of a class:
	 * only then can a collected, undisposed instance be called a leak.
	 */
	private static final ClassValue<Boolean> USER_DISPOSAL_OBSERVABLE = new ClassValue<>() {

		@Override
		protected Boolean computeValue(Class<?> type) {
			return DisposableBase.class.isAssignableFrom(type) || type.isAnnotationPresent(ReportsDisposal.class);
		}

	};

	/**
	 * Whether the instances announce their disposal by their users (see
	 * {@link DisposableResource#observesUserDisposal()}).
	 * @return whether a disposal by the user is observed
	 */
	boolean observesUserDisposal() {
		return USER_DISPOSAL_OBSERVABLE.get(this.instanceClass);
	}

	/** Whether this is the metadata of a resource with these attributes. */
	boolean matches(String springBeanName, String scope, DisposalPlan plan, Class<?> instanceClass, ResourceKind kind) {
		return this.plan == plan && this.instanceClass == instanceClass && this.kind == kind
				&& this.springBeanName.equals(springBeanName) && this.scope.equals(scope);
	}

}
