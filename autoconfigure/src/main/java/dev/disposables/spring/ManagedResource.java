package dev.disposables.spring;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import org.jspecify.annotations.Nullable;

/**
 * One resource tracked by the {@link DisposableRegistry}.
 *
 * <p>
 * It is itself a {@link WeakReference} to the instance, so weak tracking costs one object
 * per instance and a collected, undisposed instance shows up on the registry's reference
 * queue as a leak. A strong reference is kept as well when the instance must stay
 * reachable until it is disposed (singletons, scoped beans, strong tracking).
 *
 * <p>
 * The state moves once from {@code LIVE} to {@code DISPOSING} (the single winner of
 * {@link #tryStartDisposal()} runs the disposal) and once to a terminal state;
 * {@link #completion()} completes at that moment.
 *
 * <p>
 * <strong>Kept at 64 bytes</strong> (compressed oops, 12-byte header: 28 bytes of
 * {@code Reference}, then the fields below). A weakly tracked prototype that is dropped
 * costs the young collection that clears its reference a copy of this object: that copy
 * is most of what weak tracking costs a {@code getBean}. So what every resource of a
 * definition shares (names, type, scope, plan, counters) is one {@link ResourceMeta};
 * what few resources use (owner, owned resources, allocation site, attempt, completion,
 * end time) is in a {@link Rare} allocated on first use; the state and the flags share
 * one {@code int}; and the registry's table links the resources through {@link #next}
 * rather than through map nodes. The id carries the low bits of the instance's identity
 * hash, so that the table finds a resource by id as fast as by instance.
 */
final class ManagedResource extends WeakReference<Object> implements DisposableResource {

	private static final AtomicIntegerFieldUpdater<ManagedResource> BITS = AtomicIntegerFieldUpdater
		.newUpdater(ManagedResource.class, "bits");

	private static final AtomicReferenceFieldUpdater<ManagedResource, Rare> RARE = AtomicReferenceFieldUpdater
		.newUpdater(ManagedResource.class, Rare.class, "rare");

	private static final ResourceState[] STATES = ResourceState.values();

	private static final int STATE_MASK = 0xF;

	private static final int SCOPE_MANAGED = 1 << 5;

	private static final int CONTAINER_HELD = 1 << 6;

	private final ResourceMeta meta;

	private final long id;

	private final long createdAtMillis;

	/** The state's ordinal in the low bits, and the flags above. */
	private volatile int bits;

	private volatile @Nullable Object strongReference;

	private volatile @Nullable Rare rare;

	/**
	 * The next resource in the registry table's bucket; guarded by the table stripe's
	 * lock.
	 */
	@Nullable ManagedResource next;

	/**
	 * Create a resource.
	 * @param id the id, from {@link ResourceTable#id}
	 * @param instance the instance
	 * @param meta what it shares with the other resources of its definition
	 * @param strong whether to keep the instance reachable until it is disposed
	 * @param queue where the garbage collector enqueues it once the instance is collected
	 */
	ManagedResource(long id, Object instance, ResourceMeta meta, boolean strong,
			@Nullable ReferenceQueue<Object> queue) {
		super(instance, queue);
		this.id = id;
		this.meta = meta;
		this.createdAtMillis = System.currentTimeMillis();
		this.bits = ResourceState.LIVE.ordinal();
		this.strongReference = strong ? instance : null;
	}

	@Override
	public long id() {
		return this.id;
	}

	@Override
	public String beanName() {
		return this.meta.beanName();
	}

	/**
	 * The name in the bean factory (a scoped target keeps its {@code scopedTarget.}
	 * prefix here).
	 * @return the name in the bean factory
	 */
	String springBeanName() {
		return this.meta.springBeanName();
	}

	@Override
	public String type() {
		return this.meta.type();
	}

	@Override
	public String scope() {
		return this.meta.scope();
	}

	@Override
	public DisposalMode mode() {
		return this.meta.plan().mode();
	}

	@Override
	public @Nullable String adapter() {
		return this.meta.plan().adapterName();
	}

	@Override
	public ResourceState state() {
		return STATES[this.bits & STATE_MASK];
	}

	@Override
	public Instant createdAt() {
		return Instant.ofEpochMilli(this.createdAtMillis);
	}

	@Override
	public @Nullable Instant finishedAt() {
		Rare current = this.rare;
		long millis = (current != null) ? current.finishedAtMillis : 0;
		return (millis != 0) ? Instant.ofEpochMilli(millis) : null;
	}

	@Override
	public StackTraceElement @Nullable [] allocationSite() {
		Rare current = this.rare;
		return (current != null) ? current.allocationSite : null;
	}

	@Override
	public boolean observesUserDisposal() {
		return this.meta.observesUserDisposal();
	}

	void setAllocationSite(AllocationSites.Site site) {
		Rare side = rare();
		side.allocationSite = site.frames();
		side.omittedFrames = site.omitted();
	}

	/**
	 * How many frames of the allocation site were left out (framework frames, and those
	 * past the cap).
	 * @return the number of frames left out, 0 if no site was recorded
	 */
	int omittedFrames() {
		Rare current = this.rare;
		return (current != null) ? current.omittedFrames : 0;
	}

	DisposalPlan plan() {
		return this.meta.plan();
	}

	/**
	 * What this resource shares with the other resources of its definition.
	 * @return the shared metadata
	 */
	ResourceMeta meta() {
		return this.meta;
	}

	@Override
	public @Nullable ManagedResource owner() {
		Rare current = this.rare;
		return (current != null) ? current.owner : null;
	}

	/**
	 * Sets the owner once it is known: a prototype injected by constructor is created
	 * before the bean it is injected into.
	 * @param owner the resource that owns this one
	 */
	void setOwner(ManagedResource owner) {
		rare().owner = owner;
	}

	/**
	 * What this resource stands for: a disposable bean, or an anchor for a bean that only
	 * owns resources.
	 * @return the kind
	 */
	ResourceKind kind() {
		return this.meta.kind();
	}

	/**
	 * Whether a scope container (a {@link DisposalScope}, a request) disposes this
	 * resource when it ends, so that Spring's destruction callback for it must do
	 * nothing.
	 * @return whether a scope container disposes it
	 */
	boolean isScopeManaged() {
		return (this.bits & SCOPE_MANAGED) != 0;
	}

	void setScopeManaged(boolean scopeManaged) {
		setFlag(SCOPE_MANAGED, scopeManaged);
	}

	private void setFlag(int flag, boolean value) {
		int current;
		do {
			current = this.bits;
		}
		while (!BITS.compareAndSet(this, current, value ? (current | flag) : (current & ~flag)));
	}

	/** Stops keeping the instance reachable: from now on it is tracked weakly. */
	void weaken() {
		this.strongReference = null;
	}

	/**
	 * The instance, or {@code null} once a weakly tracked instance has been collected.
	 * @return the instance, or {@code null} if it has been collected
	 */
	@Nullable Object instance() {
		Object strong = this.strongReference;
		return (strong != null) ? strong : get();
	}

	/**
	 * Whether this resource keeps its instance reachable.
	 * @return whether the instance is kept reachable
	 */
	boolean isStrong() {
		return this.strongReference != null;
	}

	/**
	 * The side object, allocated on first use: most resources never need one while they
	 * are live.
	 * @return the side object
	 */
	private Rare rare() {
		Rare current = this.rare;
		if (current == null) {
			Rare created = new Rare();
			current = RARE.compareAndSet(this, null, created) ? created : this.rare;
		}
		return current;
	}

	synchronized CompletableFuture<Void> completion() {
		Rare side = rare();
		CompletableFuture<Void> current = side.completion;
		if (current == null) {
			current = new CompletableFuture<>();
			if (side.signalled) {
				complete(current, side.signalledFailure);
			}
			side.completion = current;
		}
		return current;
	}

	/**
	 * Claims the disposal.
	 * @return {@code true} for exactly one caller, the one that must run it
	 */
	boolean tryStartDisposal() {
		int current;
		do {
			current = this.bits;
			if ((current & STATE_MASK) != ResourceState.LIVE.ordinal()) {
				return false;
			}
		}
		while (!BITS.compareAndSet(this, current, (current & ~STATE_MASK) | ResourceState.DISPOSING.ordinal()));
		return true;
	}

	/**
	 * Moves the resource to a terminal state, once; the registry then calls
	 * {@link #signalCompletion}.
	 * @param terminal the terminal state to move to
	 * @param failure the failure that ended the disposal, or {@code null}
	 * @return the state it left, or {@code null} if it was already terminal (another
	 * caller finished it)
	 */
	@Nullable ResourceState finish(ResourceState terminal, @Nullable Throwable failure) {
		int current;
		do {
			current = this.bits;
			if (STATES[current & STATE_MASK].isTerminal()) {
				return null;
			}
		}
		while (!BITS.compareAndSet(this, current, (current & ~STATE_MASK) | terminal.ordinal()));
		rare().finishedAtMillis = System.currentTimeMillis();
		this.strongReference = null;
		return STATES[current & STATE_MASK];
	}

	/**
	 * Whether {@link #signalCompletion} has run: the outcome is reported, and
	 * {@link #completion()} is (or would be) complete. Allocates nothing.
	 * @return {@code true} once the completion is signalled
	 */
	synchronized boolean isCompletionSignalled() {
		Rare side = this.rare;
		return side != null && side.signalled;
	}

	/**
	 * Completes {@link #completion()}, exceptionally with the failure if there is one.
	 * Called by the registry after {@link #finish} once its counters and listeners are up
	 * to date, so that whoever waits for a disposal sees them updated.
	 * @param failure the failure, or {@code null} to complete normally
	 */
	void signalCompletion(@Nullable Throwable failure) {
		CompletableFuture<Void> current;
		Runnable actions;
		synchronized (this) {
			Rare side = rare();
			side.signalled = true;
			side.signalledFailure = failure;
			current = side.completion;
			actions = side.whenSignalled;
			side.whenSignalled = null;
		}
		try {
			if (actions != null) {
				actions.run();
			}
		}
		finally {
			// whatever an action did, whoever waits for the completion is not left
			// waiting
			if (current != null) {
				complete(current, failure);
			}
		}
	}

	/**
	 * Runs an action once {@link #signalCompletion} has run: on the thread that signals
	 * it, or on the calling thread if it has already. What {@link #completion()} offers,
	 * without a future: the shutdown graph waits for thousands of resources this way.
	 * @param action what to run; must not throw
	 */
	void whenSignalled(Runnable action) {
		synchronized (this) {
			Rare side = rare();
			if (!side.signalled) {
				Runnable previous = side.whenSignalled;
				side.whenSignalled = (previous != null) ? () -> {
					previous.run();
					action.run();
				} : action;
				return;
			}
		}
		action.run();
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
		rare().attempt = attempt;
	}

	/**
	 * The run of this resource's disposal, once started.
	 * @return the attempt, or {@code null} if none has started
	 */
	@Nullable DisposalAttempt attempt() {
		Rare current = this.rare;
		return (current != null) ? current.attempt : null;
	}

	/**
	 * Marks this resource as held by a container ({@link OwnedResources}: a
	 * {@link DisposalScope}, a request) that disposes it in its own order; the shutdown
	 * graph then waits for it rather than starting it.
	 */
	void setContainerHeld() {
		setFlag(CONTAINER_HELD, true);
	}

	boolean isContainerHeld() {
		return (this.bits & CONTAINER_HELD) != 0;
	}

	/**
	 * Records a resource this one owns: it is disposed right after this one.
	 * @param child the owned resource
	 * @return {@code false} if this resource is already terminal (the caller disposes the
	 * child itself)
	 */
	synchronized boolean addOwned(ManagedResource child) {
		if (state().isTerminal()) {
			return false;
		}
		Rare side = rare();
		if (side.ownedResources == null) {
			side.ownedResources = new ArrayList<>(2);
		}
		side.ownedResources.add(child);
		return true;
	}

	/**
	 * Removes and returns the owned resources, most recently added first.
	 * @return the owned resources, most recently added first
	 */
	synchronized List<ManagedResource> drainOwned() {
		Rare side = this.rare;
		if (side == null || side.ownedResources == null) {
			return List.of();
		}
		List<ManagedResource> owned = new ArrayList<>(side.ownedResources);
		side.ownedResources = null;
		Collections.reverse(owned);
		return owned;
	}

	synchronized List<ManagedResource> ownedSnapshot() {
		Rare side = this.rare;
		return (side != null && side.ownedResources != null) ? List.copyOf(side.ownedResources) : List.of();
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other;
	}

	@Override
	public int hashCode() {
		return Long.hashCode(this.id);
	}

	@Override
	public String toString() {
		// Never the instance's toString(): it may hold credentials.
		return "ManagedResource[id=" + this.id + ", bean='" + beanName() + "', type=" + type() + ", scope=" + scope()
				+ ", state=" + state() + "]";
	}

	/**
	 * What most resources never need while they are live: ownership, the allocation site,
	 * the disposal's run, its completion and end. Allocated on first use, so that it
	 * costs a weakly tracked prototype nothing until it is disposed or reported.
	 */
	private static final class Rare {

		volatile @Nullable ManagedResource owner;

		volatile StackTraceElement @Nullable [] allocationSite;

		volatile int omittedFrames;

		volatile @Nullable DisposalAttempt attempt;

		volatile long finishedAtMillis;

		@Nullable List<ManagedResource> ownedResources; // guarded by the resource

		@Nullable CompletableFuture<Void> completion; // guarded by the resource

		boolean signalled; // guarded by the resource

		@Nullable Throwable signalledFailure; // guarded by the resource

		@Nullable Runnable whenSignalled; // guarded by the resource

	}

}
