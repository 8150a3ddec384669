package dev.disposables.spring.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.util.ClassUtils;

/**
 * One point of the space the suite covers: a helper bean (detected one way, proxied or
 * not, in some scope), a user that depends on it (expressed some way), and how
 * destruction is reached.
 *
 * @param detection how Spring finds the helper's destruction callback
 * @param proxying whether and how the helper is proxied
 * @param mechanism the real Spring AOP infrastructure that proxies it
 * @param scope the helper's scope (and the user's)
 * @param dependency how the user depends on the helper
 * @param trigger how destruction is reached
 * @param aot whether the helper's definition is written as Spring AOT writes it
 */
public record Scenario(Detection detection, Proxying proxying, Mechanism mechanism, HelperScope scope,
		Dependency dependency, Trigger trigger, boolean aot) {

	public static Scenario of(Detection detection, Proxying proxying, HelperScope scope, Dependency dependency,
			Trigger trigger) {
		return new Scenario(detection, proxying, Mechanism.TRANSACTIONAL, scope, dependency, trigger, false);
	}

	public Scenario withMechanism(Mechanism mechanism) {
		return new Scenario(this.detection, this.proxying, mechanism, this.scope, this.dependency, this.trigger,
				this.aot);
	}

	public Scenario asAot() {
		return new Scenario(this.detection, this.proxying, this.mechanism, this.scope, this.dependency, this.trigger,
				true);
	}

	/** Whether the scenario makes sense (the generator only produces valid ones). */
	public boolean isValid() {
		return this.scope.dependencies().contains(this.dependency)
				&& triggers(this.scope, this.dependency, this.detection, this.proxying).contains(this.trigger);
	}

	/**
	 * Whether stock Spring can run the scenario at all (the {@code disposal} scope is the
	 * starter's).
	 */
	public boolean runsOnStock() {
		return this.scope != HelperScope.DISPOSAL;
	}

	public boolean hasUser() {
		return this.dependency != Dependency.NONE;
	}

	@Override
	public String toString() {
		return this.detection + " helper, "
				+ ((this.proxying != Proxying.NONE) ? this.proxying + " proxy by " + this.mechanism : "not proxied")
				+ ", " + this.scope + ", " + this.dependency + " dependency, " + this.trigger
				+ (this.aot ? ", AOT-style definition" : "");
	}

	/** The triggers that make sense for a combination. */
	static List<Trigger> triggers(HelperScope scope, Dependency dependency, Detection detection, Proxying proxying) {
		List<Trigger> triggers = new ArrayList<>();
		switch (scope) {
			case SINGLETON -> triggers.addAll(
					List.of(Trigger.CLOSE, Trigger.STOP_THEN_CLOSE, Trigger.FAILED_REFRESH, Trigger.DESTROY_SINGLETON));
			case PROTOTYPE_INJECTED -> {
				triggers.addAll(List.of(Trigger.CLOSE, Trigger.STOP_THEN_CLOSE, Trigger.FAILED_REFRESH));
				if (dependency != Dependency.LAZY) {
					triggers.addAll(List.of(Trigger.DESTROY_BEAN_OBJECT, Trigger.DESTROY_BEAN_NAME));
				}
			}
			case PROTOTYPE_IN_SCOPE -> {
				triggers.add(Trigger.SCOPE_END);
				if (dependency != Dependency.LAZY) {
					triggers.add(Trigger.DESTROY_BEAN_OBJECT);
				}
			}
			case PROTOTYPE_APP_OWNED -> triggers.addAll(List.of(Trigger.CLOSE, Trigger.STOP_THEN_CLOSE,
					Trigger.DESTROY_BEAN_OBJECT, Trigger.DESTROY_BEAN_NAME));
			case REQUEST, DISPOSAL -> triggers.addAll(List.of(Trigger.SCOPE_END, Trigger.DESTROY_SCOPED_BEAN));
			case SESSION -> {
				triggers.addAll(List.of(Trigger.SCOPE_END, Trigger.DESTROY_SCOPED_BEAN));
				if (proxying == Proxying.NONE && detection != Detection.EXECUTOR_SERVICE
						&& dependency != Dependency.LAZY) {
					triggers.add(Trigger.SESSION_PERSISTED); // what a session store
																// serializes
				}
			}
			case THREAD -> triggers.add(Trigger.CLOSE);
		}
		return triggers;
	}

	/** How Spring detects the helper's destruction callback. */
	public enum Detection {

		AUTO_CLOSEABLE(Beans.CloseableHelper.class, null, "close"),

		SHUTDOWN_INFERRED(Beans.ShutdownHelper.class, AbstractBeanDefinition.INFER_METHOD, "shutdown"),

		PRE_DESTROY_PUBLIC(Beans.PublicPreDestroyHelper.class, null, "preDestroy"),

		PRE_DESTROY_PRIVATE(Beans.PrivatePreDestroyHelper.class, null, "preDestroy"),

		PRE_DESTROY_PRIVATE_ON_SUPERCLASS(Beans.InheritedPreDestroyHelper.class, null, "basePreDestroy"),

		DISPOSABLE_BEAN(Beans.DisposableBeanHelper.class, null, "destroy"),

		DESTROY_METHOD(Beans.ReleaseHelper.class, "release", "release"),

		DESTROY_METHOD_ALSO_PRE_DESTROY(Beans.AnnotatedReleaseHelper.class, "release", "release"),

		OPT_OUT(Beans.CloseableHelper.class, "", null),

		ASYNC_METHOD(Beans.AsyncMethodHelper.class, null, "disposeAsync"),

		ASYNC_DISPOSABLE(Beans.AsyncDisposableHelper.class, null, "disposeAsync"),

		EXECUTOR_SERVICE(Beans.ExecutorHelper.class, AbstractBeanDefinition.INFER_METHOD, "shutdown");

		private final Class<?> helperClass;

		private final @Nullable String destroyMethodName;

		private final @Nullable String callback;

		Detection(Class<?> helperClass, @Nullable String destroyMethodName, @Nullable String callback) {
			this.helperClass = helperClass;
			this.destroyMethodName = destroyMethodName;
			this.callback = callback;
		}

		public Class<?> helperClass() {
			return this.helperClass;
		}

		/**
		 * What {@code @Bean(destroyMethod = ...)} says; {@code null} for the
		 * {@code registerBean} default.
		 */
		public @Nullable String destroyMethodName() {
			return this.destroyMethodName;
		}

		/** The callbacks a complete disposal of the helper runs, once each. */
		public Set<String> callbacks() {
			return (this.callback != null) ? Set.of(this.callback) : Set.of();
		}

		/**
		 * The destroy method names Spring AOT writes into the generated bean definition:
		 * the resolved inferred method, the declared ones, and the {@code @PreDestroy}
		 * methods' identifiers (a private method by its qualified name).
		 */
		public String @Nullable [] aotDestroyMethodNames() {
			return switch (this) {
				case AUTO_CLOSEABLE -> new String[] { "close" };
				case SHUTDOWN_INFERRED, EXECUTOR_SERVICE -> new String[] { "shutdown" };
				case PRE_DESTROY_PUBLIC -> new String[] { "preDestroy" };
				case PRE_DESTROY_PRIVATE ->
					new String[] { qualified(Beans.PrivatePreDestroyHelper.class, "preDestroy") };
				case PRE_DESTROY_PRIVATE_ON_SUPERCLASS ->
					new String[] { qualified(Beans.PrivatePreDestroyBase.class, "basePreDestroy") };
				case DESTROY_METHOD, DESTROY_METHOD_ALSO_PRE_DESTROY -> new String[] { "release" };
				case OPT_OUT -> new String[] { "" };
				case DISPOSABLE_BEAN, ASYNC_METHOD, ASYNC_DISPOSABLE -> null;
			};
		}

		private static String qualified(Class<?> type, String method) {
			return ClassUtils.getQualifiedMethodName(org.springframework.util.ReflectionUtils.findMethod(type, method));
		}

	}

	public enum Proxying {

		NONE, JDK, CGLIB

	}

	/** Real Spring AOP infrastructure. */
	public enum Mechanism {

		/**
		 * {@code @EnableTransactionManagement} and a {@code DataSourceTransactionManager}
		 * over embedded H2.
		 */
		TRANSACTIONAL,

		/** {@code @EnableAsync}. */
		ASYNC,

		/** A {@code BeanNameAutoProxyCreator} with a plain method interceptor. */
		AUTO_PROXY_CREATOR

	}

	public enum HelperScope {

		SINGLETON("singleton", "singleton",
				Set.of(Dependency.CONSTRUCTOR, Dependency.FIELD, Dependency.DEPENDS_ON, Dependency.OBJECT_PROVIDER,
						Dependency.LAZY)),

		/** A prototype injected into a singleton user. */
		PROTOTYPE_INJECTED("prototype", "singleton",
				Set.of(Dependency.CONSTRUCTOR, Dependency.FIELD, Dependency.OBJECT_PROVIDER, Dependency.LAZY)),

		/**
		 * A prototype user and its prototype helper, both created inside a
		 * {@code DisposalScope}.
		 */
		PROTOTYPE_IN_SCOPE("prototype", "prototype",
				Set.of(Dependency.CONSTRUCTOR, Dependency.FIELD, Dependency.OBJECT_PROVIDER, Dependency.LAZY)),

		/** {@code getBean} with no owner. */
		PROTOTYPE_APP_OWNED("prototype", null, Set.of(Dependency.NONE)),

		REQUEST("request", "request",
				Set.of(Dependency.CONSTRUCTOR, Dependency.FIELD, Dependency.DEPENDS_ON, Dependency.OBJECT_PROVIDER,
						Dependency.LAZY)),

		SESSION("session", "session",
				Set.of(Dependency.CONSTRUCTOR, Dependency.FIELD, Dependency.DEPENDS_ON, Dependency.OBJECT_PROVIDER,
						Dependency.LAZY)),

		/**
		 * {@code SimpleThreadScope}: a custom scope that ignores destruction callbacks.
		 */
		THREAD("thread", "thread",
				Set.of(Dependency.CONSTRUCTOR, Dependency.FIELD, Dependency.DEPENDS_ON, Dependency.OBJECT_PROVIDER,
						Dependency.LAZY)),

		/** {@code @DisposalScoped}. */
		DISPOSAL("disposal", "disposal", Set.of(Dependency.CONSTRUCTOR, Dependency.FIELD, Dependency.DEPENDS_ON,
				Dependency.OBJECT_PROVIDER, Dependency.LAZY));

		private final String helperScope;

		private final @Nullable String userScope;

		private final Set<Dependency> dependencies;

		HelperScope(String helperScope, @Nullable String userScope, Set<Dependency> dependencies) {
			this.helperScope = helperScope;
			this.userScope = userScope;
			this.dependencies = dependencies;
		}

		public String helperScope() {
			return this.helperScope;
		}

		public @Nullable String userScope() {
			return this.userScope;
		}

		public Set<Dependency> dependencies() {
			return this.dependencies;
		}

	}

	public enum Dependency {

		NONE(null), CONSTRUCTOR(Beans.ConstructorUser.class), FIELD(Beans.FieldUser.class),
		DEPENDS_ON(Beans.DependsOnUser.class), OBJECT_PROVIDER(Beans.ProviderUser.class), LAZY(Beans.LazyUser.class);

		private final @Nullable Class<?> userClass;

		Dependency(@Nullable Class<?> userClass) {
			this.userClass = userClass;
		}

		public @Nullable Class<?> userClass() {
			return this.userClass;
		}

	}

	public enum Trigger {

		CLOSE, STOP_THEN_CLOSE,
		/**
		 * A bean created after the user (and depending on it) throws in its constructor.
		 */
		FAILED_REFRESH,
		/** {@code beanFactory.destroySingleton("helper")}, then close. */
		DESTROY_SINGLETON,
		/**
		 * {@code AutowireCapableBeanFactory#destroyBean(Object)} on the helper the test
		 * holds, then close.
		 */
		DESTROY_BEAN_OBJECT,
		/** {@code ConfigurableBeanFactory#destroyBean(String, Object)}, then close. */
		DESTROY_BEAN_NAME,
		/**
		 * The request completes, the session is invalidated, the {@code DisposalScope} is
		 * closed.
		 */
		SCOPE_END,
		/**
		 * {@code destroyScopedBean("helper")} while the scope is active, then the scope
		 * ends.
		 */
		DESTROY_SCOPED_BEAN,
		/**
		 * The session is serialized, restored (as a session store does) and then
		 * invalidated.
		 */
		SESSION_PERSISTED

	}

}
