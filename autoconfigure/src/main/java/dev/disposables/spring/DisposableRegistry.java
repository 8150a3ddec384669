package dev.disposables.spring;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.disposables.DisposalEvents;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.Assert;

/**
 * Every resource the starter manages — disposable singletons, tracked prototypes, scoped
 * beans — with its bean name, type, scope, state and timestamps, and the single place
 * where a resource is disposed: whichever of a scope end, an explicit
 * {@link #dispose(Object)}, Spring's own destruction or the shutdown reaches a resource
 * first disposes it, and the others observe that same disposal.
 *
 * <p>
 * The registry never exposes or prints an instance: {@link DisposableResource} views
 * carry names, types and states only. Live resources are kept in one table, found by
 * instance (identity) or by id in constant time; a resource leaves it when it reaches a
 * terminal state, while per-scope counters keep the totals.
 *
 * <pre class="code">
 * registry.resources(r -&gt; r.scope().equals("prototype"), 100)
 *     .forEach(r -&gt; System.out.println(r.beanName() + " " + r.state()));
 * </pre>
 */
public class DisposableRegistry implements AutoCloseable {

	/** How many leaks {@link #recentLeaks()} keeps. */
	public static final int RECENT_LEAKS_CAPACITY = 100;

	private static final Log logger = LogFactory.getLog(DisposableRegistry.class);

	private final DisposalSettings settings;

	private final DisposalExecutors executors;

	private final ResourceTable live = new ResourceTable();

	private final ConcurrentHashMap<String, ScopeCounters> counters = new ConcurrentHashMap<>();

	/**
	 * The {@link ResourceKind#ANCHOR anchors}: kept apart from the live resources so that
	 * they are never listed nor found as resources.
	 */
	private final ResourceTable anchors = new ResourceTable();

	private final CollectedResourceWatcher collected = new CollectedResourceWatcher(this::onCollected);

	private final AtomicLong ids = new AtomicLong();

	private final ResourceMetaCache metas = new ResourceMetaCache(
			(scope) -> this.counters.computeIfAbsent(scope, (name) -> new ScopeCounters()));

	private final RegistryListeners listeners = new RegistryListeners();

	private final List<ShutdownParticipant> participants = new CopyOnWriteArrayList<>();

	private final AbandonedDisposals abandoned = new AbandonedDisposals();

	private final LeakLog leakLog = new LeakLog();

	private final RecentLeaks recentLeaks = new RecentLeaks(RECENT_LEAKS_CAPACITY);

	private final AtomicBoolean closed = new AtomicBoolean();

	/**
	 * Disposals started by the users of the instances ({@code close()} of a
	 * {@code DisposableBase}, a stack), announced through {@link DisposalEvents}.
	 */
	private final DisposalEvents.Subscription userDisposals;

	/**
	 * Spring's dependents of a bean name, once the context's lifecycle has said which
	 * bean factory.
	 */
	private volatile Function<String, String[]> dependentsOf = (beanName) -> new String[0];

	private volatile ObservedDependencies observedDependencies = new ObservedDependencies();

	/**
	 * Create a registry.
	 * @param settings timeouts, concurrency, tracking and leak detection
	 */
	public DisposableRegistry(DisposalSettings settings) {
		this(settings, DisposalExecutors.THREAD_PREFIX);
		// As early as possible: a rehearsal still running when the shutdown comes (an
		// application stopped right after it started) competes with it for the CPU.
		ShutdownRehearsal.startOnce(settings);
	}

	/**
	 * Create a registry whose threads are named apart (the shutdown rehearsal's).
	 * @param settings timeouts, concurrency, tracking and leak detection
	 * @param threadPrefix how the names of its threads start
	 */
	DisposableRegistry(DisposalSettings settings, String threadPrefix) {
		this.settings = settings;
		this.executors = new DisposalExecutors(settings.maxConcurrency(), settings.readyThreads(), threadPrefix);
		this.userDisposals = UserDisposals.subscribe(this);
	}

	/**
	 * The application has started: starts the {@link DisposalSettings#readyThreads()
	 * ready disposal threads}, if any, so that the shutdown finds them waiting. (The
	 * shutdown path was {@link ShutdownRehearsal rehearsed} in the background from the
	 * first registry on, so that it runs warm.)
	 */
	void applicationStarted() {
		this.executors.startReadyThreads();
	}

	/**
	 * The settings this registry runs with.
	 * @return the settings
	 */
	public DisposalSettings settings() {
		return this.settings;
	}

	/**
	 * Adds a listener for registrations, disposals, leaks and the shutdown.
	 * @param listener the listener
	 */
	public void addListener(DisposableRegistryListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Adds something that must be disposed before the shutdown graph starts, such as open
	 * scopes or request-scope disposals still in flight.
	 * @param participant the participant
	 */
	public void addShutdownParticipant(ShutdownParticipant participant) {
		this.participants.add(participant);
	}

	// ---- queries
	// -------------------------------------------------------------------------------------------------

	/**
	 * The resources that are not disposed yet (live or disposing), oldest first.
	 * @return a snapshot
	 */
	public List<DisposableResource> resources() {
		return resources((resource) -> true, Integer.MAX_VALUE);
	}

	/**
	 * Up to {@code limit} undisposed resources matching a filter, oldest first.
	 * @param filter which resources to keep
	 * @param limit the most to return
	 * @return a snapshot
	 */
	public List<DisposableResource> resources(Predicate<? super DisposableResource> filter, int limit) {
		if (limit <= 0) {
			return List.of();
		}
		// The oldest `limit` are kept in a max-heap while walking the map, so that a
		// small page of a large registry (the endpoint's default of 100 out of 100 000
		// live prototypes) never sorts everything.
		PriorityQueue<DisposableResource> oldest = new PriorityQueue<>(Math.min(limit, 1024),
				Comparator.comparingLong(DisposableResource::id).reversed());
		List<ManagedResource> snapshot = new ArrayList<>();
		this.live.addAllTo(snapshot);
		for (ManagedResource resource : snapshot) {
			if (!resource.state().isTerminal() && filter.test(resource)) {
				if (oldest.size() < limit) {
					oldest.add(resource);
				}
				else if (resource.id() < oldest.peek().id()) {
					oldest.poll();
					oldest.add(resource);
				}
			}
		}
		List<DisposableResource> page = new ArrayList<>(oldest);
		page.sort(Comparator.comparingLong(DisposableResource::id));
		return List.copyOf(page);
	}

	/**
	 * An undisposed resource by id.
	 * @param id the id
	 * @return the resource, or empty if unknown or already finished
	 */
	public Optional<DisposableResource> find(long id) {
		// The id carries the bits that place the resource in the table: no walk over the
		// live resources.
		ManagedResource resource = this.live.find(id);
		return (resource != null && !resource.state().isTerminal()) ? Optional.of(resource) : Optional.empty();
	}

	/**
	 * The resource tracking an instance.
	 * @param instance the instance
	 * @return the resource, or empty if the instance is not managed or already finished
	 */
	public Optional<DisposableResource> findByInstance(Object instance) {
		return Optional.ofNullable(lookup(instance));
	}

	/**
	 * The most recent leaks detected, at most {@link #RECENT_LEAKS_CAPACITY}, most recent
	 * first. Empty when leak detection is {@link LeakDetectionLevel#DISABLED disabled}.
	 * @return a snapshot
	 */
	public List<LeakReport> recentLeaks() {
		return this.recentLeaks.snapshot();
	}

	/**
	 * The disposal graph the shutdown would run now: the oldest {@code limit} live
	 * resources, and who waits for whom and why (a dependency Spring declared, one the
	 * starter observed, ownership of a prototype). Built on the caller's thread from the
	 * registry and Spring's dependent-bean graph; it changes nothing, and shows names and
	 * types only.
	 * @param limit the most resources to include, oldest first
	 * @return the graph
	 * @since 0.2.0
	 */
	public DisposalGraphView graph(int limit) {
		if (limit < 0) {
			throw new IllegalArgumentException("limit must not be negative");
		}
		return DisposalGraphViews.build(liveResources(), this.dependentsOf, this.observedDependencies, limit);
	}

	/**
	 * Counts by scope and state: live and disposing now, and totals of every terminal
	 * state since start-up.
	 * @return scope name to state to count
	 */
	public Map<String, Map<ResourceState, Long>> counts() {
		Map<String, Map<ResourceState, Long>> counts = new LinkedHashMap<>();
		this.counters.forEach((scope, scopeCounters) -> counts.put(scope, scopeCounters.snapshot()));
		return counts;
	}

	/**
	 * How many resources of a scope are in a state now (live, disposing) or have ended in
	 * it since start-up.
	 * @param scope the scope name
	 * @param state the state
	 * @return the count
	 */
	public long count(String scope, ResourceState state) {
		ScopeCounters scopeCounters = this.counters.get(scope);
		return (scopeCounters != null) ? scopeCounters.count(state) : 0;
	}

	/**
	 * The scope names seen so far.
	 * @return the scope names
	 */
	public Set<String> scopes() {
		return Set.copyOf(this.counters.keySet());
	}

	// ---- disposal by users
	// ---------------------------------------------------------------------------------------

	/**
	 * Disposes a managed instance now, async-first, exactly once: if its disposal has
	 * already started (or finished), the returned stage is that disposal's. Sync
	 * callbacks run on the bounded disposal executor.
	 * @param instance a managed instance
	 * @return a stage that completes when the disposal has finished, exceptionally if it
	 * failed or timed out
	 * @throws IllegalArgumentException if the instance is not managed (or was already
	 * disposed and forgotten)
	 */
	public CompletionStage<Void> dispose(Object instance) {
		ManagedResource resource = lookup(instance);
		if (resource == null) {
			throw new IllegalArgumentException(
					"Instance of " + instance.getClass().getName() + " is not managed by this DisposableRegistry");
		}
		return dispose(resource, true);
	}

	// ---- engine API (same package)
	// -------------------------------------------------------------------------------

	/**
	 * The bean factory whose resources this registry holds: its dependent-bean graph
	 * orders them.
	 * @param beanFactory the bean factory whose dependent-bean graph orders the resources
	 */
	void useBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		this.dependentsOf = beanFactory::getDependentBeans;
		this.observedDependencies = ObservedDependencies.of(beanFactory);
	}

	@Nullable ManagedResource lookup(Object instance) {
		ManagedResource resource = this.live.get(instance);
		if (resource == null) {
			// The application holds the AOP proxy; the starter tracks the bean behind it.
			Object target = ProxyTargets.ultimateTarget(instance);
			if (target != instance) {
				resource = this.live.get(target);
			}
		}
		return resource;
	}

	/**
	 * The resource or the anchor of an instance.
	 * @param instance the instance, or a proxy of it
	 * @return the resource or the anchor, or {@code null} if the instance has neither
	 */
	@Nullable ManagedResource lookupResourceOrAnchor(Object instance) {
		ManagedResource resource = lookup(instance);
		return (resource != null) ? resource : this.anchors.get(ProxyTargets.ultimateTarget(instance));
	}

	/**
	 * Starts tracking an instance.
	 * @param instance the instance
	 * @param springBeanName its name in the bean factory
	 * @param scope the scope name
	 * @param plan how to dispose it
	 * @param strong whether to keep it reachable until it is disposed
	 * @param owner the resource that owns it (it is disposed right after its owner), if
	 * any
	 * @return the resource
	 */
	ManagedResource register(Object instance, String springBeanName, String scope, DisposalPlan plan, boolean strong,
			@Nullable ManagedResource owner) {
		ManagedResource resource = track(instance,
				this.metas.get(instance, springBeanName, scope, plan, ResourceKind.DISPOSABLE), strong);
		if (recordsAllocationSite()) {
			resource.setAllocationSite(allocationSite());
		}
		if (owner != null) {
			resource.setOwner(owner);
		}
		counters(resource).registered();
		this.live.add(resource);
		if (owner != null && !owner.addOwned(resource)) {
			// the owner is already gone: nothing else will dispose this one
			dispose(resource, true);
		}
		this.listeners.notify("onRegistered", (listener) -> listener.onRegistered(resource));
		return resource;
	}

	/**
	 * Registers an anchor for a bean that is not disposable itself but owns disposable
	 * resources (prototypes injected into it): when the anchor ends — the bean's scope
	 * ends, the shutdown reaches it, or, for a weakly anchored bean, it is
	 * garbage-collected — what it owns is disposed. Anchors are never listed, counted or
	 * reported as leaks.
	 * @param instance the owning bean
	 * @param springBeanName its name in the bean factory
	 * @param scope its scope
	 * @param strong whether to keep it reachable until it ends
	 * @return the anchor
	 */
	ManagedResource registerAnchor(Object instance, String springBeanName, String scope, boolean strong) {
		ManagedResource anchor = track(instance,
				this.metas.get(instance, springBeanName, scope, DisposalPlan.NONE, ResourceKind.ANCHOR), strong);
		this.anchors.add(anchor);
		return anchor;
	}

	/**
	 * A new entry of either kind. Always with the queue: a resource registered strongly
	 * may be weakened later (its owner turns out to be weakly tracked), and a strong
	 * reference is never enqueued while it is held.
	 * @param instance the instance to track
	 * @param meta what it shares with the other resources of its definition
	 * @param strong whether to keep the instance reachable until it ends
	 * @return the new entry, not yet in a table
	 */
	private ManagedResource track(Object instance, ResourceMeta meta, boolean strong) {
		return new ManagedResource(ResourceTable.id(this.ids.incrementAndGet(), instance), instance, meta, strong,
				this.collected.queue());
	}

	/**
	 * Where entries of a resource's kind are kept.
	 * @param resource a resource or an anchor
	 * @return the table of the anchors for an anchor, else the table of the live
	 * resources
	 */
	private ResourceTable table(ManagedResource resource) {
		return (resource.kind() == ResourceKind.ANCHOR) ? this.anchors : this.live;
	}

	/**
	 * Gives a resource its owner once the owner is known; a resource whose owner is
	 * tracked weakly is tracked weakly as well (the owner keeps it reachable if it still
	 * uses it).
	 * @param resource the owned resource
	 * @param owner its owner
	 */
	void assignOwner(ManagedResource resource, ManagedResource owner) {
		resource.setOwner(owner);
		if (!owner.isStrong()) {
			resource.weaken();
		}
		if (!owner.addOwned(resource)) {
			dispose(resource, true); // the owner is already gone
		}
	}

	/**
	 * Disposes a resource exactly once.
	 * @param resource the resource
	 * @param onExecutor whether the disposal runs on a disposal thread, with the
	 * per-resource timeout, or on the calling thread (a scope closed by its caller: sync
	 * callbacks untimed, as with Spring; an async stage timed)
	 * @return the resource's completion
	 */
	CompletableFuture<Void> dispose(ManagedResource resource, boolean onExecutor) {
		return dispose(resource, onExecutor, resource.plan());
	}

	/**
	 * Disposes a resource exactly once, with a plan other than its own (what Spring does
	 * not run itself).
	 * @param resource the resource
	 * @param onExecutor whether the disposal runs on a disposal thread, with the
	 * per-resource timeout, or on the calling thread
	 * @param plan how to dispose it, instead of its own plan
	 * @return the resource's completion
	 */
	CompletableFuture<Void> dispose(ManagedResource resource, boolean onExecutor, DisposalPlan plan) {
		return dispose(resource, onExecutor, plan, false);
	}

	/**
	 * Starts disposing a resource at shutdown, on a disposal thread; its end is signalled
	 * on the resource ({@link ManagedResource#whenSignalled}). A prototype (which Spring
	 * never destroys) that reports it was closed already is not disposed again: its user
	 * may have closed it directly, which the starter cannot see.
	 * @param resource the resource
	 */
	void startAtShutdown(ManagedResource resource) {
		boolean prototype = ConfigurableBeanFactory.SCOPE_PROTOTYPE.equals(resource.scope());
		start(resource, true, resource.plan(), prototype);
	}

	private CompletableFuture<Void> dispose(ManagedResource resource, boolean onExecutor, DisposalPlan plan,
			boolean unlessReportedClosed) {
		start(resource, onExecutor, plan, unlessReportedClosed);
		return resource.completion();
	}

	private void start(ManagedResource resource, boolean onExecutor, DisposalPlan plan, boolean unlessReportedClosed) {
		if (!resource.tryStartDisposal()) {
			return;
		}
		if (resource.kind() == ResourceKind.ANCHOR) {
			// Nothing to run (no thread hop, collected or not): its end disposes what it
			// owns.
			finish(resource, ResourceState.DISPOSED, null, 0);
			return;
		}
		counters(resource).started();
		Object instance = resource.instance();
		if (instance == null) {
			// Collected between the claim and now: nothing left to dispose, and nobody
			// disposed it.
			reportLeak(resource);
			return;
		}
		DisposalAttempt attempt = new DisposalAttempt(this, this.executors, resource, instance, plan,
				this.settings.perResourceTimeout().toNanos());
		if (unlessReportedClosed) {
			attempt.unlessReportedClosed();
		}
		resource.setAttempt(attempt);
		if (onExecutor) {
			this.executors.submit(attempt);
		}
		else {
			attempt.runOnCaller();
		}
	}

	/**
	 * An attempt has an outcome; called on a starter thread or on the caller's thread
	 * that ran it.
	 * @param resource the resource the attempt disposed
	 * @param nanos how long the attempt took, in nanoseconds
	 * @param failure the failure, or {@code null} if the disposal succeeded
	 */
	void attemptFinished(ManagedResource resource, long nanos, @Nullable Throwable failure) {
		Throwable cause = (failure != null) ? FailureCollector.unwrap(failure) : null;
		finish(resource, (cause != null) ? ResourceState.FAILED : ResourceState.DISPOSED, cause, nanos);
	}

	/**
	 * An attempt was abandoned at its per-resource timeout; called on a starter thread.
	 * @param resource the resource the attempt disposed
	 * @param nanos how long the attempt ran before it was abandoned, in nanoseconds
	 * @param stuckThread the name of the disposal thread still running its user code, or
	 * {@code null}
	 */
	void attemptTimedOut(ManagedResource resource, long nanos, @Nullable String stuckThread) {
		DisposalTimeoutException timeout = new DisposalTimeoutException(resource, this.settings.perResourceTimeout(),
				stuckThread);
		finish(resource, ResourceState.TIMED_OUT, timeout, nanos);
	}

	/**
	 * Gives up on a resource at the overall deadline: interrupts its disposal if it runs
	 * on a disposal thread and marks it timed out (a resource whose disposal never
	 * started is marked too, so nothing disposes it later). Nothing is started on the
	 * calling thread: what it owns is abandoned by the same call for every live resource.
	 * @param resource the resource to give up on
	 * @param deadline the overall deadline, for the timeout's message
	 * @param shutdownStart when the shutdown started ({@link System#nanoTime()}): the
	 * reported duration runs from then
	 */
	void abandonAtDeadline(ManagedResource resource, Duration deadline, long shutdownStart) {
		if (resource.tryStartDisposal() && resource.kind().isReported()) {
			counters(resource).started();
		}
		DisposalAttempt attempt = resource.attempt();
		if (attempt != null) {
			// no waiting here: the threads left running are reported once, after the
			// deadline
			attempt.abandon();
		}
		ResourceState previous = resource.finish(ResourceState.TIMED_OUT, null);
		if (previous == null) {
			return;
		}
		// live themselves, they are abandoned by the caller's loop; nothing starts here
		resource.drainOwned();
		finished(resource, previous, ResourceState.TIMED_OUT,
				DisposalTimeoutException.atDeadline(resource, deadline, null), System.nanoTime() - shutdownStart);
	}

	/**
	 * The disposals abandoned while their user code still runs on a disposal thread, for
	 * the shutdown's report (see {@link AbandonedDisposals#stuck(Duration)}).
	 * @param grace how long to give interrupted disposers
	 * @return one description per stuck disposal, empty if there is none
	 */
	List<String> stuckDisposals(Duration grace) {
		return this.abandoned.stuck(grace);
	}

	private void finish(ManagedResource resource, ResourceState terminal, @Nullable Throwable failure, long nanos) {
		ResourceState previous = resource.finish(terminal, failure);
		if (previous == null) {
			return;
		}
		finished(resource, previous, terminal, failure, nanos);
		disposeOwned(resource);
	}

	/**
	 * Counters, log, listeners, then the completion: whoever waits for a disposal sees
	 * the rest updated.
	 * @param resource the resource that has ended
	 * @param previous the state it left
	 * @param terminal the state it ended in
	 * @param failure the failure, or {@code null}
	 * @param nanos how long its disposal took, in nanoseconds
	 */
	private void finished(ManagedResource resource, ResourceState previous, ResourceState terminal,
			@Nullable Throwable failure, long nanos) {
		table(resource).remove(resource);
		if (!resource.kind().isReported()) {
			resource.signalCompletion(null);
			return;
		}
		counters(resource).finished(previous, terminal);
		if (terminal == ResourceState.FAILED) {
			logger.warn("Disposal of bean '" + resource.beanName() + "' (" + resource.type() + ", scope "
					+ resource.scope() + ") failed", failure);
		}
		else if (terminal == ResourceState.TIMED_OUT && failure != null) {
			logger.warn(failure.getMessage());
			DisposalAttempt attempt = resource.attempt();
			if (attempt != null && attempt.isStuck()) {
				this.abandoned.add(resource);
			}
		}
		Duration duration = Duration.ofNanos(nanos);
		this.listeners.notify("onDisposed", (listener) -> listener.onDisposed(resource, duration, failure));
		resource.signalCompletion(failure);
	}

	/**
	 * The owner has ended (disposed, failed, timed out, collected): what it owns goes
	 * right after it.
	 * @param resource the owner that has ended
	 */
	private void disposeOwned(ManagedResource resource) {
		for (ManagedResource owned : resource.drainOwned()) {
			dispose(owned, true);
		}
	}

	// ---- leaks
	// ---------------------------------------------------------------------------------------------------

	private boolean recordsAllocationSite() {
		return switch (this.settings.leakDetectionLevel()) {
			case PARANOID -> true;
			// At random, as Netty samples: a counter would alias with periodic allocation
			// patterns (a bean always created at the same position of a repeating pattern
			// would never, or always, be sampled).
			case ADVANCED -> ThreadLocalRandom.current().nextInt(this.settings.samplingInterval()) == 0;
			default -> false;
		};
	}

	private static AllocationSites.Site allocationSite() {
		return AllocationSites.capture();
	}

	/**
	 * A weakly tracked instance was garbage-collected: a leak unless it was disposed
	 * already.
	 * @param resource the resource whose instance was collected
	 */
	private void onCollected(ManagedResource resource) {
		reportLeak(resource);
	}

	/**
	 * The user of an instance has started its disposal, by a path the registry does not
	 * run (its own {@code close()}, a stack): it is disposed, and neither disposed again
	 * at shutdown nor reported as a leak. What it owns goes right after it, as for any
	 * end of an owner.
	 * @param instance the instance whose disposal started
	 */
	void disposedByUser(Object instance) {
		ManagedResource resource = lookup(instance);
		if (resource == null || !resource.tryStartDisposal()) {
			return; // not ours, or the registry (or another path) disposes it already
		}
		counters(resource).started();
		finish(resource, ResourceState.DISPOSED, null, 0);
	}

	/**
	 * A collected instance that was not disposed through the registry is reported as a
	 * leak only if its class tells the registry when its user disposes it; otherwise it
	 * may have been closed directly, correctly, and it ends as
	 * {@link ResourceState#COLLECTED}.
	 * @param resource the resource whose instance is gone
	 */
	private void reportLeak(ManagedResource resource) {
		if (resource.kind() == ResourceKind.ANCHOR) {
			// The owning bean is gone: that is its end, not a leak.
			finish(resource, ResourceState.DISPOSED, null, 0);
			return;
		}
		boolean observable = resource.observesUserDisposal();
		ResourceState ended = observable ? ResourceState.LEAKED : ResourceState.COLLECTED;
		ResourceState previous = resource.finish(ended, null);
		if (previous == null) {
			this.live.remove(resource);
			return;
		}
		this.live.remove(resource);
		boolean reported = observable && this.settings.leakDetectionLevel() != LeakDetectionLevel.DISABLED;
		if (reported) {
			// Recorded before the count moves: whoever sees the leak counted finds its
			// report.
			LeakReport report = LeakReport.of(resource, Instant.now());
			this.recentLeaks.add(report);
			this.leakLog.logOnce(report, resource.omittedFrames());
		}
		counters(resource).finished(previous, ended);
		if (reported) {
			this.listeners.notify("onLeaked", (listener) -> listener.onLeaked(resource));
		}
		resource.signalCompletion(null);
		disposeOwned(resource);
	}

	// ---- shutdown
	// ------------------------------------------------------------------------------------------------

	/**
	 * Live resources, for the shutdown graph.
	 * @return a snapshot of the resources and anchors that have not ended
	 */
	List<ManagedResource> liveResources() {
		List<ManagedResource> resources = new ArrayList<>();
		this.live.addAllTo(resources);
		this.anchors.addAllTo(resources);
		resources.removeIf((resource) -> resource.state().isTerminal());
		return resources;
	}

	List<ShutdownParticipant> participants() {
		return List.copyOf(this.participants);
	}

	/**
	 * Runs the engine's own steps on a starter thread (never user disposers, which are
	 * bounded).
	 * @return the executor of the engine's steps
	 */
	Executor launcher() {
		return this.executors.steps();
	}

	void publishShutdownStarted() {
		this.listeners.notify("onShutdownStarted", DisposableRegistryListener::onShutdownStarted);
	}

	/**
	 * A disposal starts running, on the thread that runs it.
	 * @param resource the resource whose disposal starts
	 */
	void disposalStarted(ManagedResource resource) {
		this.listeners.notify("onDisposalStarted", (listener) -> listener.onDisposalStarted(resource));
	}

	void publishShutdown(ShutdownReport report) {
		this.listeners.notify("onShutdown", (listener) -> listener.onShutdown(report));
	}

	/**
	 * Waits for a resource's disposal, bounded by the per-resource timeout; used when
	 * Spring itself destroys a bean (a failed refresh, {@code destroySingleton}, a scope
	 * end). What the bean owns (its injected prototypes, disposed right after it) is
	 * waited for as well: when Spring's destruction of the bean returns — a failed
	 * refresh throws, say — nothing of it is still being disposed.
	 * @param resource the resource of the bean Spring destroys
	 * @param plan how to dispose it
	 */
	void disposeAndWait(ManagedResource resource, DisposalPlan plan) {
		List<ManagedResource> owned = new ArrayList<>();
		collectOwned(resource, owned);
		await(dispose(resource, true, plan));
		for (ManagedResource child : owned) {
			await(child.completion());
		}
	}

	private static void collectOwned(ManagedResource resource, List<ManagedResource> into) {
		for (ManagedResource child : resource.ownedSnapshot()) {
			into.add(child);
			collectOwned(child, into);
		}
	}

	private void await(CompletableFuture<?> completion) {
		try {
			completion.get(this.settings.perResourceTimeout().toMillis() + 100, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// already logged with the bean name when the resource finished
		}
	}

	private ScopeCounters counters(ManagedResource resource) {
		ScopeCounters counters = resource.meta().counters();
		Assert.state(counters != null, "Anchors are never counted");
		return counters;
	}

	/**
	 * How a bean is named in reports: a scoped proxy's target by the name of the bean it
	 * stands for.
	 * @param springBeanName the name in the bean factory
	 * @return the name to show
	 */
	static String displayName(String springBeanName) {
		// getOriginalBeanName asserts a scoped target name: any other name is shown as it
		// is.
		return ScopedProxyUtils.isScopedTarget(springBeanName) ? ScopedProxyUtils.getOriginalBeanName(springBeanName)
				: springBeanName;
	}

	/**
	 * Stops the leak watcher and the disposal threads. Called by the container after the
	 * shutdown.
	 */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.userDisposals.close();
			this.collected.close();
			this.executors.close();
		}
	}

	/**
	 * Forwards the announced disposals to a registry it does not keep reachable: a
	 * registry that was never closed (a test's) unsubscribes once it is collected.
	 */
	private static final class UserDisposals implements Consumer<Object> {

		private final WeakReference<DisposableRegistry> registry;

		private volatile DisposalEvents.@Nullable Subscription subscription;

		private UserDisposals(DisposableRegistry registry) {
			this.registry = new WeakReference<>(registry);
		}

		static DisposalEvents.Subscription subscribe(DisposableRegistry registry) {
			UserDisposals forwarder = new UserDisposals(registry);
			DisposalEvents.Subscription subscription = DisposalEvents.subscribe(forwarder);
			forwarder.subscription = subscription;
			return subscription;
		}

		@Override
		public void accept(Object instance) {
			DisposableRegistry target = this.registry.get();
			if (target != null) {
				target.disposedByUser(instance);
				return;
			}
			DisposalEvents.Subscription current = this.subscription;
			if (current != null) {
				current.close();
			}
		}

	}

}
