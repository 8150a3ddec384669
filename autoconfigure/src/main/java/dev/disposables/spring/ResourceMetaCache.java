package dev.disposables.spring;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The metadata shared by the resources of one definition (and class), so that each
 * resource carries one reference rather than five; bounded, in case bean names are
 * generated without end. A run of {@code getBean} of one prototype finds its metadata
 * without a map lookup (the last one used is kept).
 */
final class ResourceMetaCache {

	/**
	 * Past this many definitions' metadata, new ones are not cached (generated bean
	 * names, say).
	 */
	static final int MAX_CACHED_METAS = 4096;

	private final ConcurrentHashMap<MetaKey, ResourceMeta> metas = new ConcurrentHashMap<>();

	/** The counters of a scope, shared by the metadata of its definitions. */
	private final Function<String, ScopeCounters> countersOfScope;

	private volatile @Nullable ResourceMeta lastMeta;

	/**
	 * Create the cache.
	 * @param countersOfScope the counters of a scope name, created on first use
	 */
	ResourceMetaCache(Function<String, ScopeCounters> countersOfScope) {
		this.countersOfScope = countersOfScope;
	}

	/**
	 * The metadata of a definition's resources: the last one used, else the cached one,
	 * else a new one.
	 * @param instance the instance, whose class the metadata is for
	 * @param springBeanName its name in the bean factory
	 * @param scope the scope name
	 * @param plan how to dispose it
	 * @param kind whether it is a disposable resource or an anchor
	 * @return the metadata
	 */
	ResourceMeta get(Object instance, String springBeanName, String scope, DisposalPlan plan, ResourceKind kind) {
		Class<?> instanceClass = instance.getClass();
		ResourceMeta last = this.lastMeta;
		if (last != null && last.matches(springBeanName, scope, plan, instanceClass, kind)) {
			return last;
		}
		MetaKey key = new MetaKey(springBeanName, scope, plan, instanceClass, kind);
		ResourceMeta meta = this.metas.get(key);
		if (meta == null) {
			ScopeCounters scopeCounters = kind.isReported() ? this.countersOfScope.apply(scope) : null;
			meta = new ResourceMeta(springBeanName, DisposableRegistry.displayName(springBeanName),
					ClassUtils.getUserClass(instanceClass).getName(), scope, plan, scopeCounters, instanceClass, kind);
			if (this.metas.size() < MAX_CACHED_METAS) {
				ResourceMeta raced = this.metas.putIfAbsent(key, meta);
				meta = (raced != null) ? raced : meta;
			}
		}
		if (kind.isReported()) {
			this.lastMeta = meta; // a run of getBean registers resources, not anchors
		}
		return meta;
	}

	/**
	 * What tells the metadata of two definitions apart; the plan by identity (one per
	 * definition and class).
	 */
	private record MetaKey(String springBeanName, String scope, DisposalPlan plan, Class<?> instanceClass,
			ResourceKind kind) {

		@Override
		public boolean equals(@Nullable Object other) {
			return other instanceof MetaKey that && that.plan == this.plan && that.instanceClass == this.instanceClass
					&& that.kind == this.kind && that.springBeanName.equals(this.springBeanName)
					&& that.scope.equals(this.scope);
		}

		@Override
		public int hashCode() {
			return this.springBeanName.hashCode() * 31 + System.identityHashCode(this.plan);
		}

	}

}
