package dev.disposables.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

/**
 * Runs the shutdown disposal at the right moment: in the last lifecycle phase
 * ({@link Integer#MIN_VALUE}), so after every other {@link SmartLifecycle} has stopped —
 * the web server has drained and stopped, listener containers are down — and before
 * Spring destroys the bean factory. It runs only when the context is closing (a
 * {@link ContextClosedEvent} was seen), not on a plain {@code stop()}, and only once;
 * {@code stop()} followed by {@code close()} disposes at the close.
 *
 * <p>
 * Both the Boot shutdown hook and a plain {@code context.close()} come through here.
 *
 * <p>
 * <strong>Internal</strong>: created by the auto-configuration, public only so that it
 * can be; not part of the public API (see "Public API" in docs/core-api.md), it may
 * change without notice.
 */
public class DisposablesLifecycle implements SmartLifecycle, ApplicationListener<ContextClosedEvent> {

	private static final Log logger = LogFactory.getLog(DisposablesLifecycle.class);

	private final DisposableRegistry registry;

	private final ConfigurableListableBeanFactory beanFactory;

	private final Duration deadline;

	private final AtomicBoolean closing = new AtomicBoolean();

	private final AtomicBoolean disposalStarted = new AtomicBoolean();

	private final CompletableFuture<ShutdownReport> report = new CompletableFuture<>();

	private volatile boolean running;

	/** The participants' bean names, found once the context has started. */
	private volatile String @Nullable [] participantNames;

	// Linked with the context, not at shutdown, where code runs once and cold.
	private final Function<String, String[]> dependentsOf;

	private final Supplier<List<ShutdownParticipant>> shutdownParticipants;

	/**
	 * Create the lifecycle.
	 * @param registry the registry holding what to dispose
	 * @param beanFactory the bean factory, for Spring's dependent-bean graph
	 * @param deadline the overall deadline of the shutdown disposal
	 */
	public DisposablesLifecycle(DisposableRegistry registry, ConfigurableListableBeanFactory beanFactory,
			Duration deadline) {
		this.registry = registry;
		this.beanFactory = beanFactory;
		this.deadline = deadline;
		// for DisposableRegistry#graph: Spring's dependent-bean graph
		registry.useBeanFactory(beanFactory);
		this.dependentsOf = beanFactory::getDependentBeans;
		this.shutdownParticipants = this::participants;
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		if (event.getApplicationContext().getAutowireCapableBeanFactory() == this.beanFactory) {
			this.closing.set(true);
		}
	}

	@Override
	public void start() {
		this.running = true;
		this.registry.applicationStarted();
		// Names only, nothing created, and kept: Spring does not cache a lookup that
		// must not initialize beans eagerly, and the shutdown would otherwise match every
		// bean definition again (ten thousand of them in a large application).
		this.participantNames = this.beanFactory.getBeanNamesForType(ShutdownParticipant.class, true, false);
	}

	/**
	 * Disposes everything when the context is closing. A plain {@code stop()} (or a
	 * pause) disposes nothing and leaves this bean running: the beans may be started
	 * again, and the {@code close()} that usually follows a {@code stop()} stops only
	 * running lifecycle beans, so it must still find this one.
	 */
	@Override
	public void stop() {
		if (this.closing.get()) {
			disposeAll();
			this.running = false;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** The last phase: stopped after every other lifecycle bean. */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE;
	}

	/**
	 * Disposes everything now, once; later calls return the first report.
	 * @return what the disposal did
	 */
	public ShutdownReport disposeAll() {
		if (this.disposalStarted.compareAndSet(false, true)) {
			try {
				// Spring's own singletons are destroyed early only when the context is
				// closing anyway: a direct call must not destroy beans the application
				// still runs with.
				SpringDestroyedSingletons springDestroyed = this.closing.get()
						? new SpringDestroyedSingletons(this.beanFactory) : SpringDestroyedSingletons.NONE;
				this.report.complete(new ShutdownDisposer(this.registry, this.dependentsOf, this.shutdownParticipants,
						springDestroyed)
					.run(this.deadline, this.registry.settings().criticalPathThreshold()));
			}
			catch (RuntimeException ex) {
				logger.error("Shutdown disposal failed", ex);
				this.report.complete(new ShutdownReport(0, 0, 0, 0, 0, Duration.ZERO));
			}
		}
		return this.report.join();
	}

	/**
	 * The participants: every {@link ShutdownParticipant} bean (a user's own
	 * {@link DisposalScopes} included), in order, plus those added to the registry
	 * directly.
	 * @return the shutdown participants, in order
	 */
	private List<ShutdownParticipant> participants() {
		Set<ShutdownParticipant> participants = Collections.newSetFromMap(new IdentityHashMap<>());
		List<ShutdownParticipant> ordered = new ArrayList<>();
		try {
			// This context's own beans only: a parent's participants belong to the
			// parent's shutdown.
			List<ShutdownParticipant> beans = new ArrayList<>();
			String[] names = this.participantNames;
			if (names == null) {
				// disposed without having started (a direct call, a failed refresh)
				names = this.beanFactory.getBeanNamesForType(ShutdownParticipant.class, true, false);
			}
			for (String name : names) {
				beans.add(this.beanFactory.getBean(name, ShutdownParticipant.class));
			}
			AnnotationAwareOrderComparator.sort(beans);
			addNew(beans, participants, ordered);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not resolve the shutdown participant beans", ex);
		}
		addNew(this.registry.participants(), participants, ordered);
		return ordered;
	}

	/**
	 * Adds the participants not seen yet, in order. A plain loop: this runs once, cold,
	 * at shutdown, where every stream and lambda is linked on first use.
	 * @param candidates the participants to add
	 * @param seen the participants added so far
	 * @param ordered where to add them
	 */
	private static void addNew(List<ShutdownParticipant> candidates, Set<ShutdownParticipant> seen,
			List<ShutdownParticipant> ordered) {
		for (ShutdownParticipant candidate : candidates) {
			if (seen.add(candidate)) {
				ordered.add(candidate);
			}
		}
	}

	/**
	 * The report of the shutdown disposal, once it has run.
	 * @return the report, or {@code null} before the shutdown has finished
	 */
	public @Nullable ShutdownReport report() {
		return this.report.getNow(null);
	}

}
