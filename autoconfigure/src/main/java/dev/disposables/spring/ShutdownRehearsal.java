package dev.disposables.spring;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.disposables.AsyncDisposable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.NativeDetector;
import org.springframework.util.ReflectionUtils;

/**
 * Runs the shutdown path once, on stand-ins, in the background while the application
 * starts (from the JVM's first {@link DisposableRegistry} on, as early as possible: a
 * rehearsal still running when the shutdown comes competes with it for the CPU), so that
 * the real shutdown finds its classes loaded and its lambdas linked. A JVM runs its
 * shutdown code once and cold: for an application whose disposals are all fast, loading
 * and linking that code was most of what the starter added to SIGTERM to exit (tens of
 * milliseconds on JDK 17), more than the disposals themselves. Spring Boot warms other
 * code the same way ({@code BackgroundPreinitializer}), and this rehearsal honours Boot's
 * switch for it: the system property {@value #IGNORE_PROPERTY}{@code =true} turns both
 * off.
 *
 * <p>
 * The rehearsal has a registry of its own, with threads of its own (named
 * {@value #REHEARSAL_THREAD_PREFIX}{@code *}, ended with it), so that the real path runs:
 * the hand-over to a disposal thread, the per-resource timeout, the participants, an edge
 * of the graph. It touches nothing of the application, tells no listener and logs
 * nothing. It runs once per JVM (what it loads stays loaded), and never in a native image
 * (nothing is loaded at run time there).
 */
final class ShutdownRehearsal {

	/** Spring Boot's switch for its background warm-up. */
	static final String IGNORE_PROPERTY = "spring.backgroundpreinitializer.ignore";

	private static final Log logger = LogFactory.getLog(ShutdownRehearsal.class);

	private static final AtomicBoolean started = new AtomicBoolean();

	/** The names of the rehearsal's threads, apart from the application's. */
	static final String REHEARSAL_THREAD_PREFIX = "disposables-rehearsal-";

	private static final String SINGLETON = "rehearsalSingleton";

	private static final String USER = "rehearsalAsync";

	private static final String SPRING_BEAN = "rehearsalSpringBean";

	private ShutdownRehearsal() {
	}

	/**
	 * Starts the rehearsal on a daemon thread, unless it ran in this JVM already or is
	 * switched off.
	 * @param settings the application's settings (the rehearsal disposes with the same
	 * plans and timeouts)
	 */
	static void startOnce(DisposalSettings settings) {
		if (Boolean.getBoolean(IGNORE_PROPERTY) || NativeDetector.inNativeImage()
				|| !started.compareAndSet(false, true)) {
			return;
		}
		Thread thread = new Thread(() -> rehearseQuietly(settings), "disposables-rehearsal");
		thread.setDaemon(true);
		thread.start();
	}

	private static void rehearseQuietly(DisposalSettings settings) {
		try {
			rehearse(settings);
		}
		catch (RuntimeException | LinkageError ex) {
			// Only the real shutdown's speed depends on it: never the application.
			logger.debug("Shutdown rehearsal failed", ex);
		}
	}

	/**
	 * Disposes stand-ins as a shutdown would: a singleton and a prototype with a sync
	 * {@code close()}, a {@link DisposableBean}, a {@code @PreDestroy} method and an
	 * async disposable, and a singleton Spring destroys itself.
	 * @param settings the application's settings
	 * @return the rehearsal's report
	 */
	static ShutdownReport rehearse(DisposalSettings settings) {
		// Threads started on demand, named apart, and ended with the registry.
		DisposableRegistry registry = new DisposableRegistry(settings.toBuilder().readyThreads(0).build(),
				REHEARSAL_THREAD_PREFIX);
		// A bean factory of its own: Spring's dependents, and a singleton Spring destroys
		// itself that uses a resource (a node of the graph too).
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		try {
			DisposalPlanner planner = new DisposalPlanner();
			register(registry, planner, new SyncStandIn(), SINGLETON, ConfigurableBeanFactory.SCOPE_SINGLETON);
			register(registry, planner, new SyncStandIn(), "rehearsalPrototype",
					ConfigurableBeanFactory.SCOPE_PROTOTYPE);
			register(registry, planner, new AsyncStandIn(), USER, ConfigurableBeanFactory.SCOPE_SINGLETON);
			register(registry, planner, new DestroyStandIn(), "rehearsalDisposableBean",
					ConfigurableBeanFactory.SCOPE_SINGLETON);
			registry.register(new PreDestroyStandIn(), "rehearsalPreDestroy", ConfigurableBeanFactory.SCOPE_SINGLETON,
					PreDestroyStandIn.PLAN, true, null);
			beanFactory.registerBeanDefinition(SPRING_BEAN, new RootBeanDefinition(DestroyStandIn.class));
			beanFactory.getBean(SPRING_BEAN);
			beanFactory.registerDependentBean(SINGLETON, USER);
			beanFactory.registerDependentBean(SINGLETON, SPRING_BEAN);
			// One participant the graph waits for and one it does not: the paths a real
			// shutdown takes.
			List<ShutdownParticipant> participants = List.of(new StandInParticipant(false),
					new StandInParticipant(true));
			registry.publishShutdownStarted(); // no listener: nobody is told
			ShutdownReport report = new ShutdownDisposer(registry, beanFactory::getDependentBeans, () -> participants,
					new SpringDestroyedSingletons(beanFactory))
				.disposeWithin(Duration.ofSeconds(10));
			registry.stuckDisposals(Duration.ZERO);
			registry.publishShutdown(report);
			// The strings the real shutdown logs.
			report.summary();
			report.criticalPathSummary();
			return report;
		}
		finally {
			registry.close();
			beanFactory.destroySingletons();
		}
	}

	private static void register(DisposableRegistry registry, DisposalPlanner planner, Object instance, String beanName,
			String scope) {
		DisposalPlan plan = planner.plan(instance.getClass(), null);
		if (plan != null) {
			registry.register(instance, beanName, scope, plan, true, null);
		}
	}

	/**
	 * A participant with nothing to dispose.
	 *
	 * @param ordersByResource whether the graph starts without waiting for it
	 */
	private record StandInParticipant(boolean ordersByResource) implements ShutdownParticipant {

		@Override
		public CompletionStage<Void> disposeForShutdown() {
			return CompletableFuture.completedFuture(null);
		}

	}

	/**
	 * A resource with a sync {@code close()}.
	 */
	static final class SyncStandIn implements AutoCloseable {

		@Override
		public void close() {
		}

	}

	/**
	 * A resource Spring would destroy through {@link DisposableBean#destroy()}.
	 */
	static final class DestroyStandIn implements DisposableBean {

		@Override
		public void destroy() {
		}

	}

	/**
	 * A resource with a {@code @PreDestroy} method (its plan is built by hand: the
	 * annotation is optional on the class path).
	 */
	static final class PreDestroyStandIn {

		static final DisposalPlan PLAN = DisposalPlan.sync(
				List.of(ReflectionUtils.findMethod(PreDestroyStandIn.class, "preDestroy")), false, List.of(), Set.of());

		void preDestroy() {
		}

	}

	/**
	 * A resource disposed asynchronously.
	 */
	static final class AsyncStandIn implements AsyncDisposable {

		@Override
		public CompletionStage<Void> disposeAsync() {
			return CompletableFuture.completedFuture(null);
		}

	}

}
