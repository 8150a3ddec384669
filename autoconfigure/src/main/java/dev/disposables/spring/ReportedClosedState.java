package dev.disposables.spring;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ConcurrentReferenceHashMap;

/**
 * Whether an instance says it is closed already: a public no-arg {@code isClosed()} or
 * {@code isDisposed()} that answers {@code true}, or an {@code isOpen()} that answers
 * {@code false} (as {@link java.nio.channels.Channel} defines it).
 * <p>
 * The starter cannot see a plain class's {@code close()} called directly by its user. At
 * shutdown it disposes the prototypes it still tracks, which Spring never destroys: one
 * whose user closed it already and still holds it would be closed a second time. Many
 * resources say whether they are closed (JDBC connections, sockets, channels, pools,
 * Reactor's {@code Disposable}); asking them is how such a prototype is closed once, as
 * with stock Spring. Asking runs user code, so it happens on a disposal thread, under the
 * per-resource timeout, like the disposal it may replace.
 */
final class ReportedClosedState {

	private static final Map<Class<?>, Optional<Query>> QUERIES = new ConcurrentReferenceHashMap<>();

	private ReportedClosedState() {
	}

	/**
	 * Whether the instance reports that it is closed.
	 * @param instance the instance
	 * @return {@code true} only if the instance has such a query and it says closed; a
	 * query that throws counts as not closed (the disposal then runs as usual)
	 */
	static boolean isClosed(Object instance) {
		Optional<Query> query = QUERIES.computeIfAbsent(instance.getClass(), ReportedClosedState::find);
		if (query.isEmpty()) {
			return false;
		}
		try {
			Object answer = query.get().method().invoke(instance);
			return Boolean.valueOf(query.get().closedWhen()).equals(answer);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return false;
		}
	}

	private static Optional<Query> find(Class<?> type) {
		Query query = query(type, "isClosed", true);
		if (query == null) {
			query = query(type, "isDisposed", true);
		}
		if (query == null) {
			query = query(type, "isOpen", false);
		}
		return Optional.ofNullable(query);
	}

	private static @Nullable Query query(Class<?> type, String name, boolean closedWhen) {
		try {
			Method method = type.getMethod(name);
			if (method.getReturnType() != boolean.class || Modifier.isStatic(method.getModifiers())) {
				return null;
			}
			// A public method of a non-public class is not accessible reflectively: call
			// it through the interface or public superclass that declares it, if any.
			Method accessible = accessible(method);
			return (accessible != null) ? new Query(accessible, closedWhen) : null;
		}
		catch (NoSuchMethodException ex) {
			return null;
		}
	}

	private static @Nullable Method accessible(Method method) {
		try {
			method.setAccessible(true);
			return method;
		}
		catch (RuntimeException ex) {
			// A module that does not open the class's package: no query.
			return null;
		}
	}

	/**
	 * A query method, and the answer that means closed.
	 *
	 * @param method the query
	 * @param closedWhen the answer that means the instance is closed
	 */
	private record Query(Method method, boolean closedWhen) {
	}

}
