package dev.disposables.spring;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * One resource tracked by the {@link DisposableRegistry}.
 *
 * <p>It is itself a {@link WeakReference} to the instance, so weak tracking costs one object per instance and a
 * collected, undisposed instance shows up on the registry's reference queue as a leak. A strong reference is kept
 * as well when the instance must stay reachable until it is disposed (singletons, scoped beans, strong tracking).
 *
 * <p>The state moves once from {@code LIVE} to {@code DISPOSING} (the single winner of {@link #tryStartDisposal()}
 * runs the disposal) and once to a terminal state; {@link #completion()} completes at that moment.
 */
final class ManagedResource extends WeakReference<Object> implements DisposableResource {

	@SuppressWarnings("rawtypes")
	private static final AtomicReferenceFieldUpdater<ManagedResource, ResourceState> STATE =
			AtomicReferenceFieldUpdater.newUpdater(ManagedResource.class, ResourceState.class, "state");

	private final long id;

	private final String beanName;

	private final String springBeanName;

	private final String type;

	private final String scope;

	private final DisposalPlan plan;

	private final long createdAtMillis;

	private final int identityHash;

	private volatile @Nullable Object strongReference;

	private volatile ResourceState state = ResourceState.LIVE;

	private volatile long finishedAtMillis;

	private volatile StackTraceElement @Nullable [] allocationSite;

	private volatile @Nullable ManagedResource owner;

	private final boolean anchor;

	private volatile boolean scopeManaged;

	private @Nullable List<ManagedResource> ownedResources;

	/**
	 * Created on demand: most weakly tracked prototypes end as leaks nobody waits for, and every byte of a tracking
	 * object is copied once by the garbage collector when the instance dies.
	 */
	private @Nullable CompletableFuture<Void> completion; // guarded by this

	private boolean signalled; // guarded by this

	private @Nullable Throwable signalledFailure; // guarded by this

	private volatile @Nullable DisposalAttempt attempt;

	private volatile boolean containerHeld;

	ManagedResource(long id, Object instance, String springBeanName, String beanName, String scope,
			DisposalPlan plan, boolean strong, @Nullable ManagedResource owner,
			@Nullable ReferenceQueue<Object> queue) {
		this(id, instance, springBeanName, beanName, scope, plan, strong, owner, queue, false);
	}

	ManagedResource(long id, Object instance, String springBeanName, String beanName, String scope,
			DisposalPlan plan, boolean strong, @Nullable ManagedResource owner,
			@Nullable ReferenceQueue<Object> queue, boolean anchor) {
		super(instance, queue);
		this.anchor = anchor;
		this.id = id;
		this.springBeanName = springBeanName;
		this.beanName = beanName;
		this.type = ClassUtils.getUserClass(instance).getName(); // the user's class, not a CGLIB subclass
		this.scope = scope;
		this.plan = plan;
		this.owner = owner;
		this.createdAtMillis = System.currentTimeMillis();
		this.identityHash = System.identityHashCode(instance);
		this.strongReference = strong ? instance : null;
	}

	@Override
	public long id() {
		return this.id;
	}

	@Override
	public String beanName() {
		return this.beanName;
	}

	/** The name in the bean factory (a scoped target keeps its {@code scopedTarget.} prefix here). */
	String springBeanName() {
		return this.springBeanName;
	}

	@Override
	public String type() {
		return this.type;
	}

	@Override
	public String scope() {
		return this.scope;
	}

	@Override
	public DisposalMode mode() {
		return this.plan.mode();
	}

	@Override
	public ResourceState state() {
		return this.state;
	}

	@Override
	public Instant createdAt() {
		return Instant.ofEpochMilli(this.createdAtMillis);
	}

	@Override
	public @Nullable Instant finishedAt() {
		long millis = this.finishedAtMillis;
		return (millis != 0) ? Instant.ofEpochMilli(millis) : null;
	}

	@Override
	public StackTraceElement @Nullable [] allocationSite() {
		return this.allocationSite;
	}

	void setAllocationSite(StackTraceElement @Nullable [] allocationSite) {
		this.allocationSite = allocationSite;
	}

	DisposalPlan plan() {
		return this.plan;
	}

	@Override
	public @Nullable ManagedResource owner() {
		return this.owner;
	}

	/**
	 * Sets the owner once it is known: a prototype injected by constructor is created before the bean it is
	 * injected into.
	 */
	void setOwner(ManagedResource owner) {
		this.owner = owner;
	}

	/**
	 * Whether this resource only stands for a bean that is not disposable itself but owns resources (it is never
	 * counted, listed or reported as a leak; its end disposes what it owns).
	 */
	boolean isAnchor() {
		return this.anchor;
	}

	/**
	 * Whether a scope container (a {@link DisposalScope}, a request) disposes this resource when it ends, so that
	 * Spring's destruction callback for it must do nothing.
	 */
	boolean isScopeManaged() {
		return this.scopeManaged;
	}

	void setScopeManaged(boolean scopeManaged) {
		this.scopeManaged = scopeManaged;
	}

	/** Stops keeping the instance reachable: from now on it is tracked weakly. */
	void weaken() {
		this.strongReference = null;
	}

	/** The instance, or {@code null} once a weakly tracked instance has been collected. */
	@Nullable Object instance() {
		Object strong = this.strongReference;
		return (strong != null) ? strong : get();
	}

	/** Whether this resource keeps its instance reachable. */
	boolean isStrong() {
		return this.strongReference != null;
	}

	synchronized CompletableFuture<Void> completion() {
		CompletableFuture<Void> current = this.completion;
		if (current == null) {
			current = new CompletableFuture<>();
			if (this.signalled) {
				complete(current, this.signalledFailure);
			}
			this.completion = current;
		}
		return current;
	}

	/**
	 * Claims the disposal.
	 * @return {@code true} for exactly one caller, the one that must run it
	 */
	boolean tryStartDisposal() {
		return STATE.compareAndSet(this, ResourceState.LIVE, ResourceState.DISPOSING);
	}

	/**
	 * Moves the resource to a terminal state, once; the registry then calls {@link #signalCompletion}.
	 * @return the state it left, or {@code null} if it was already terminal (another caller finished it)
	 */
	@Nullable ResourceState finish(ResourceState terminal, @Nullable Throwable failure) {
		ResourceState current;
		do {
			current = this.state;
			if (current.isTerminal()) {
				return null;
			}
		}
		while (!STATE.compareAndSet(this, current, terminal));
		this.finishedAtMillis = System.currentTimeMillis();
		this.strongReference = null;
		return current;
	}

	/**
	 * Completes {@link #completion()}, exceptionally with the failure if there is one. Called by the registry after
	 * {@link #finish} once its counters and listeners are up to date, so that whoever waits for a disposal sees
	 * them updated.
	 */
	void signalCompletion(@Nullable Throwable failure) {
		CompletableFuture<Void> current;
		synchronized (this) {
			this.signalled = true;
			this.signalledFailure = failure;
			current = this.completion;
		}
		if (current != null) {
			complete(current, failure);
		}
	}

	private static void complete(CompletableFuture<Void> future, @Nullable Throwable failure) {
		if (failure != null) {
			future.completeExceptionally(failure);
		}
		else {
			future.complete(null);
		}
	}

	void setAttempt(DisposalAttempt attempt) {
		this.attempt = attempt;
	}

	/** The run of this resource's disposal, once started. */
	@Nullable DisposalAttempt attempt() {
		return this.attempt;
	}

	/**
	 * Marks this resource as held by a container ({@link OwnedResources}: a {@link DisposalScope}, a request) that
	 * disposes it in its own order; the shutdown graph then waits for it rather than starting it.
	 */
	void setContainerHeld() {
		this.containerHeld = true;
	}

	boolean isContainerHeld() {
		return this.containerHeld;
	}

	/**
	 * Records a resource this one owns: it is disposed right after this one.
	 * @return {@code false} if this resource is already terminal (the caller disposes the child itself)
	 */
	synchronized boolean addOwned(ManagedResource child) {
		if (this.state.isTerminal()) {
			return false;
		}
		if (this.ownedResources == null) {
			this.ownedResources = new ArrayList<>(2);
		}
		this.ownedResources.add(child);
		return true;
	}

	/** Removes and returns the owned resources, most recently added first. */
	synchronized List<ManagedResource> drainOwned() {
		if (this.ownedResources == null) {
			return List.of();
		}
		List<ManagedResource> owned = new ArrayList<>(this.ownedResources);
		this.ownedResources = null;
		java.util.Collections.reverse(owned);
		return owned;
	}

	synchronized List<ManagedResource> ownedSnapshot() {
		return (this.ownedResources != null) ? List.copyOf(this.ownedResources) : List.of();
	}

	@Override
	public int hashCode() {
		return this.identityHash;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other;
	}

	@Override
	public String toString() {
		// Never the instance's toString(): it may hold credentials.
		return "ManagedResource[id=" + this.id + ", bean='" + this.beanName + "', type=" + this.type + ", scope="
				+ this.scope + ", state=" + this.state + "]";
	}

	/**
	 * A map key that finds the resource of an instance by identity without creating a reference to it.
	 */
	record Lookup(Object instance) {

		@Override
		public int hashCode() {
			return System.identityHashCode(this.instance);
		}

		@Override
		public boolean equals(@Nullable Object other) {
			return (other instanceof ManagedResource resource && resource.get() == this.instance)
					|| (other instanceof Lookup lookup && lookup.instance == this.instance);
		}

	}

}
