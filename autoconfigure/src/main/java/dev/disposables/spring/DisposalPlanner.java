package dev.disposables.spring;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import dev.disposables.AsyncDisposable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.util.ClassUtils;

/**
 * Decides whether and how a bean is disposed, following Spring's own rules (inferred
 * {@code close}/{@code shutdown}, {@code destroyMethod = ""} as an opt-out,
 * {@code @PreDestroy}, {@link DisposableBean}, explicit destroy methods, an
 * {@link ExecutorService}'s {@code shutdown()} or its own {@code close()}) with one
 * change, async-first: an async way, when there is one, replaces the destroy method
 * Spring would infer ({@code close}, {@code shutdown}); the {@code @PreDestroy} methods
 * and {@link DisposableBean#destroy()} still run before it, and a destroy method the user
 * declared by another name runs instead of it.
 *
 * <p>
 * {@link DisposalAdapter}s come first: the first one that supports the class disposes its
 * instances, unless the definition declares a destroy method the adapter does not
 * replace. They are resolved the first time a plan is needed, not when the planner is
 * created (it belongs to a post-processor created before most beans).
 */
final class DisposalPlanner {

	private static final Log logger = LogFactory.getLog(DisposalPlanner.class);

	/**
	 * Public no-arg methods recognised as async destroy methods when they return an async
	 * type.
	 */
	static final List<String> ASYNC_METHOD_NAMES = List.of("disposeAsync", "closeAsync", "shutdownAsync");

	private static final String CLOSE = "close";

	private static final String SHUTDOWN = "shutdown";

	private static final String DESTROY = "destroy";

	private static final List<Class<? extends Annotation>> PRE_DESTROY_ANNOTATIONS = preDestroyAnnotations();

	private final ConcurrentMap<PlanKey, Optional<DisposalPlan>> cache = new ConcurrentHashMap<>();

	private final Supplier<List<DisposalAdapter>> adapterLookup;

	private volatile @Nullable List<DisposalAdapter> adapters;

	/**
	 * Set while the adapters are being resolved on this thread: creating them may plan
	 * other beans.
	 */
	private final ThreadLocal<Boolean> resolvingAdapters = new ThreadLocal<>();

	/** A planner with the generic rules only. */
	DisposalPlanner() {
		this(List::of);
	}

	/**
	 * A planner that consults adapters first.
	 * @param adapterLookup the adapters, in order; called once, the first time a plan is
	 * needed
	 */
	DisposalPlanner(Supplier<List<DisposalAdapter>> adapterLookup) {
		this.adapterLookup = adapterLookup;
	}

	/**
	 * The plan for instances of {@code type} created from {@code definition}.
	 * @param type the instance class
	 * @param definition the merged bean definition, or {@code null} for objects that have
	 * none
	 * @return the plan, or {@code null} when the bean is not disposable or opted out
	 */
	@Nullable DisposalPlan plan(Class<?> type, @Nullable RootBeanDefinition definition) {
		String[] destroyMethodNames = (definition != null) ? definition.getDestroyMethodNames() : null;
		PlanKey key = new PlanKey(type, (destroyMethodNames != null) ? List.of(destroyMethodNames) : null);
		Optional<DisposalPlan> cached = this.cache.get(key);
		if (cached != null) {
			return cached.orElse(null);
		}
		List<DisposalAdapter> adapters = adapters();
		if (adapters == null) {
			// Planned while the adapters themselves are being created: not cached, so
			// that the bean's later instances (and this one, if planned again) see the
			// adapters.
			return createPlan(type, key.destroyMethodNames(), List.of());
		}
		return this.cache
			.computeIfAbsent(key, (k) -> Optional.ofNullable(createPlan(type, k.destroyMethodNames(), adapters)))
			.orElse(null);
	}

	/**
	 * The adapters, or {@code null} while they are being resolved on this thread.
	 * @return the adapters, or {@code null}
	 */
	private @Nullable List<DisposalAdapter> adapters() {
		List<DisposalAdapter> current = this.adapters;
		if (current != null) {
			return current;
		}
		if (this.resolvingAdapters.get() != null) {
			return null;
		}
		this.resolvingAdapters.set(Boolean.TRUE);
		try {
			current = List.copyOf(this.adapterLookup.get());
			this.adapters = current;
			return current;
		}
		finally {
			this.resolvingAdapters.remove();
		}
	}

	private @Nullable DisposalPlan createPlan(Class<?> type, @Nullable List<String> destroyMethodNames,
			List<DisposalAdapter> adapters) {
		if (destroyMethodNames != null && destroyMethodNames.size() == 1 && destroyMethodNames.get(0).isEmpty()) {
			return null;
		}
		List<Method> preDestroyMethods = findPreDestroyMethods(type);
		boolean disposableBean = DisposableBean.class.isAssignableFrom(type);
		List<Method> destroyMethods = new ArrayList<>(findDestroyMethods(type, destroyMethodNames, disposableBean));
		// A destroy method that is also a @PreDestroy method runs once, as in Spring: AOT
		// processing writes the @PreDestroy methods into the definition's destroy method
		// names, and @Bean(destroyMethod) may name one.
		destroyMethods.removeIf((method) -> isSameMethod(method, preDestroyMethods));
		Set<String> takenOver = new LinkedHashSet<>();
		preDestroyMethods.forEach((method) -> takenOver.addAll(identifiers(method)));
		if (disposableBean) {
			takenOver.add(DESTROY);
		}
		Set<String> ownCallbacks = Set.copyOf(takenOver);
		destroyMethods.forEach((method) -> takenOver.add(method.getName()));
		if (destroyMethodNames != null && !isInferred(destroyMethodNames)) {
			// Spring checks the first declared name, found or not
			takenOver.addAll(destroyMethodNames);
		}
		else if (!destroyMethods.isEmpty()) {
			// Spring may infer the other candidate (e.g. an ExecutorService's own
			// close()): take both over.
			takenOver.add(CLOSE);
			takenOver.add(SHUTDOWN);
		}

		DisposalAdapter adapter = findAdapter(adapters, type, destroyMethodNames, ownCallbacks);
		if (adapter != null) {
			takenOver.addAll(adapter.replacedDestroyMethods(type));
			// The adapter replaces whatever Spring would infer, found on this class or
			// not.
			takenOver.add(CLOSE);
			takenOver.add(SHUTDOWN);
			return DisposalPlan.adapted(adapter, preDestroyMethods, disposableBean, takenOver);
		}
		// Async-first replaces what Spring infers (close(), shutdown()), never a destroy
		// method the user declared: that one runs, as in stock Spring.
		boolean userDeclared = destroyMethods.stream().anyMatch(DisposalPlanner::isUserDeclared);
		if (!userDeclared && AsyncDisposable.class.isAssignableFrom(type)) {
			takenOver.add(CLOSE);
			return DisposalPlan.async(preDestroyMethods, disposableBean, true, List.of(), takenOver);
		}
		Method asyncMethod = userDeclared ? null : findAsyncMethod(type);
		if (asyncMethod != null) {
			return DisposalPlan.async(preDestroyMethods, disposableBean, false, List.of(asyncMethod), takenOver);
		}
		if (!destroyMethods.isEmpty() && destroyMethods.stream().anyMatch(DisposalPlanner::returnsAsyncType)) {
			return DisposalPlan.async(preDestroyMethods, disposableBean, false, destroyMethods, takenOver);
		}
		if (preDestroyMethods.isEmpty() && !disposableBean && destroyMethods.isEmpty()) {
			return null;
		}
		return DisposalPlan.sync(preDestroyMethods, disposableBean, destroyMethods, takenOver);
	}

	/**
	 * Whether a destroy method is one the user chose rather than one Spring would infer:
	 * any name other than {@code close} and {@code shutdown}. Decided by name, not by how
	 * the definition says it, because Spring AOT writes the inferred method's name into
	 * the definition as if it had been declared.
	 * @param method a destroy method of the plan
	 * @return whether it is a declared destroy method the async way must not replace
	 */
	private static boolean isUserDeclared(Method method) {
		return !CLOSE.equals(method.getName()) && !SHUTDOWN.equals(method.getName());
	}

	/**
	 * The first adapter that supports the type and replaces every destroy method the
	 * definition declares (other than the callbacks the plan runs itself:
	 * {@code @PreDestroy} methods, {@code destroy()} of a {@link DisposableBean}). An
	 * adapter that throws is logged and skipped.
	 * @param adapters the adapters, in order
	 * @param type the type of the bean
	 * @param destroyMethodNames the names of the destroy methods the definition declares,
	 * if any
	 * @param ownCallbacks the callbacks the plan runs itself
	 * @return the adapter, or {@code null} if none applies
	 */
	private static @Nullable DisposalAdapter findAdapter(List<DisposalAdapter> adapters, Class<?> type,
			@Nullable List<String> destroyMethodNames, Set<String> ownCallbacks) {
		for (DisposalAdapter adapter : adapters) {
			try {
				if (!adapter.supports(type)) {
					continue;
				}
				if (destroyMethodNames != null && !isInferred(destroyMethodNames)) {
					Set<String> replaced = adapter.replacedDestroyMethods(type);
					boolean replacesAll = destroyMethodNames.stream()
						.allMatch((name) -> replaced.contains(name) || ownCallbacks.contains(name));
					if (!replacesAll) {
						logger.debug("DisposalAdapter '" + adapter.name() + "' skipped for " + type.getName()
								+ ": the bean definition declares destroy methods it does not replace "
								+ destroyMethodNames);
						continue;
					}
				}
				return adapter;
			}
			catch (RuntimeException | LinkageError ex) {
				logger.warn("DisposalAdapter " + adapter.getClass().getName() + " failed for " + type.getName()
						+ "; skipped", ex);
			}
		}
		return null;
	}

	/**
	 * The methods of a type the starter may invoke reflectively when it disposes an
	 * instance: async destroy methods and {@code @PreDestroy} methods. Used to register
	 * runtime hints for native images.
	 * @param type the type of the bean
	 * @return the methods that may be invoked reflectively
	 */
	static List<Method> reflectivelyInvokedMethods(Class<?> type) {
		List<Method> methods = new ArrayList<>(findPreDestroyMethods(type));
		Method asyncMethod = findAsyncMethod(type);
		if (asyncMethod != null) {
			methods.add(asyncMethod);
		}
		return methods;
	}

	private static @Nullable Method findAsyncMethod(Class<?> type) {
		for (String name : ASYNC_METHOD_NAMES) {
			Method method = ClassUtils.getMethodIfAvailable(type, name);
			if (method != null && Modifier.isPublic(method.getModifiers()) && returnsAsyncType(method)) {
				return ClassUtils.getPubliclyAccessibleMethodIfPossible(method, type);
			}
		}
		return null;
	}

	private static boolean returnsAsyncType(Method method) {
		return AsyncResults.isAsyncType(method.getReturnType());
	}

	/**
	 * Explicit destroy methods as declared, or the inferred one ({@code close}, else
	 * {@code shutdown}) when the definition says {@code (inferred)} or, with no
	 * definition value, when the type is {@link AutoCloseable} or an
	 * {@link ExecutorService}; as in Spring, nothing is inferred for a
	 * {@link DisposableBean}.
	 * @param type the type of the bean
	 * @param names the destroy method names the definition declares, if any
	 * @param disposableBean whether the bean is a {@link DisposableBean}
	 * @return the destroy methods, possibly none
	 */
	private static List<Method> findDestroyMethods(Class<?> type, @Nullable List<String> names,
			boolean disposableBean) {
		if (names != null && !isInferred(names)) {
			List<Method> methods = new ArrayList<>();
			for (String name : names) {
				if (disposableBean && DESTROY.equals(name)) {
					continue; // Spring never calls destroy() twice on a DisposableBean
				}
				Method method = findNamedMethod(type, name);
				if (method != null) {
					methods.add(method);
				}
			}
			return methods;
		}
		boolean explicitlyInferred = names != null;
		boolean executorService = ExecutorService.class.isAssignableFrom(type);
		boolean autoCloseable = AutoCloseable.class.isAssignableFrom(type);
		if (disposableBean || !(explicitlyInferred || autoCloseable || executorService)) {
			return List.of();
		}
		String name = executorService ? executorServiceMethodName(type) : inferredName(type, autoCloseable);
		Method method = (name != null) ? findNamedMethod(type, name) : null;
		return (method != null) ? List.of(method) : List.of();
	}

	/**
	 * The destroy method Spring (6.2.11+) infers for an {@link ExecutorService}:
	 * {@code shutdown()}, unless the class has a public {@code close()} of its own (a
	 * subclass's, or the JDK's in {@code ForkJoinPool} and the virtual-thread-per-task
	 * executor): only the JDK 19+ {@code ExecutorService.close()} default, which waits up
	 * to a day for the tasks, is avoided.
	 * @param type an {@link ExecutorService} class
	 * @return {@code close} or {@code shutdown}
	 */
	private static String executorServiceMethodName(Class<?> type) {
		try {
			return (type.getMethod(CLOSE).getDeclaringClass() != ExecutorService.class) ? CLOSE : SHUTDOWN;
		}
		catch (NoSuchMethodException ex) {
			return SHUTDOWN;
		}
	}

	private static boolean isSameMethod(Method method, List<Method> candidates) {
		for (Method candidate : candidates) {
			if (candidate.equals(method) || (candidate.getName().equals(method.getName())
					&& candidate.getParameterCount() == method.getParameterCount()
					&& !Modifier.isPrivate(candidate.getModifiers()) && !Modifier.isPrivate(method.getModifiers()))) {
				// the same method, or an override of it: invoking either runs the same
				// code
				return true;
			}
		}
		return false;
	}

	private static boolean isInferred(List<String> names) {
		return names.size() == 1 && AbstractBeanDefinition.INFER_METHOD.equals(names.get(0));
	}

	private static @Nullable String inferredName(Class<?> type, boolean autoCloseable) {
		if (autoCloseable || ClassUtils.hasMethod(type, CLOSE)) {
			return CLOSE;
		}
		return ClassUtils.hasMethod(type, SHUTDOWN) ? SHUTDOWN : null;
	}

	/**
	 * A destroy method by name, as Spring resolves it: a plain name anywhere in the
	 * hierarchy, or a qualified {@code com.example.Type.method} name (Spring's identifier
	 * of a private or package-private lifecycle method, as AOT processing writes it) on
	 * that declaring class.
	 * @param type the type to search
	 * @param name the plain or qualified name of the method
	 * @return the method, or {@code null} if there is none
	 */
	private static @Nullable Method findNamedMethod(Class<?> type, String name) {
		Class<?> declaringType = type;
		String methodName = name;
		int lastDot = name.lastIndexOf('.');
		if (lastDot > 0) {
			declaringType = findInHierarchy(type, name.substring(0, lastDot));
			methodName = name.substring(lastDot + 1);
			if (declaringType == null) {
				return null;
			}
		}
		Method method = BeanUtils.findMethodWithMinimalParameters(declaringType, methodName);
		if (method == null || method.getParameterCount() > 1
				|| (method.getParameterCount() == 1 && method.getParameterTypes()[0] != boolean.class)) {
			return null;
		}
		return ClassUtils.getPubliclyAccessibleMethodIfPossible(method, type);
	}

	private static @Nullable Class<?> findInHierarchy(Class<?> type, String className) {
		for (Class<?> current = type; current != null; current = current.getSuperclass()) {
			if (current.getName().equals(className)) {
				return current;
			}
		}
		return null;
	}

	/**
	 * {@code @PreDestroy} methods, subclass before superclass as in Spring; an overridden
	 * method counts once.
	 * @param type the type to search
	 * @return the {@code @PreDestroy} methods, in the order Spring invokes them
	 */
	static List<Method> findPreDestroyMethods(Class<?> type) {
		if (PRE_DESTROY_ANNOTATIONS.isEmpty()) {
			return List.of();
		}
		List<Method> methods = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		Class<?> current = type;
		while (current != null && current != Object.class) {
			for (Method method : current.getDeclaredMethods()) {
				if (method.getParameterCount() == 0 && isPreDestroy(method)) {
					String identifier = identifiers(method).get(0);
					if (seen.add(identifier)) {
						methods.add(method);
					}
				}
			}
			current = current.getSuperclass();
		}
		return methods;
	}

	private static boolean isPreDestroy(Method method) {
		for (Class<? extends Annotation> annotation : PRE_DESTROY_ANNOTATIONS) {
			if (method.isAnnotationPresent(annotation)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Spring identifies a private lifecycle method by its qualified name and any other by
	 * its simple name; both forms are registered so that Spring skips it whichever it
	 * checks.
	 * @param method a lifecycle method
	 * @return its qualified and simple names
	 */
	private static List<String> identifiers(Method method) {
		String qualified = ClassUtils.getQualifiedMethodName(method);
		return Modifier.isPrivate(method.getModifiers()) ? List.of(qualified, method.getName())
				: List.of(method.getName(), qualified);
	}

	@SuppressWarnings("unchecked")
	private static List<Class<? extends Annotation>> preDestroyAnnotations() {
		List<Class<? extends Annotation>> annotations = new ArrayList<>();
		for (String name : Arrays.asList("jakarta.annotation.PreDestroy", "javax.annotation.PreDestroy")) {
			if (ClassUtils.isPresent(name, DisposalPlanner.class.getClassLoader())) {
				annotations.add((Class<? extends Annotation>) ClassUtils.resolveClassName(name,
						DisposalPlanner.class.getClassLoader()));
			}
		}
		return List.copyOf(annotations);
	}

	private record PlanKey(Class<?> type, @Nullable List<String> destroyMethodNames) {

		PlanKey {
			Objects.requireNonNull(type);
		}

	}

}
