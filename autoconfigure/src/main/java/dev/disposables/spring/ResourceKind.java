package dev.disposables.spring;

/**
 * What a {@link ManagedResource} stands for. Internal: the registry's two kinds of
 * entries, decided once per definition (it is part of the {@link ResourceMeta}).
 */
enum ResourceKind {

	/**
	 * A bean the starter disposes: listed, counted, timed, shown to listeners and
	 * reported as a leak if it is collected undisposed.
	 */
	DISPOSABLE,

	/**
	 * A stand-in for a bean that is not disposable itself but owns resources (prototypes
	 * injected into it). Its end — the bean's scope ends, the shutdown reaches it, or the
	 * weakly tracked bean is collected — runs nothing and disposes what it owns. It is
	 * never listed, counted, timed, shown to listeners or reported as a leak: to the user
	 * only the resources it owns exist.
	 */
	ANCHOR;

	/**
	 * Whether resources of this kind are visible: listed, counted, timed, shown to
	 * listeners, reported as leaks.
	 * @return {@code true} for a disposable bean, {@code false} for an anchor
	 */
	boolean isReported() {
		return this == DISPOSABLE;
	}

}
