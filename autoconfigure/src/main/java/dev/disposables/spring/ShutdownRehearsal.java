package dev.disposables.spring;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.disposables.AsyncDisposable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.NativeDetector;

/**
 * Runs the shutdown path once, on stand-ins, in the background after the application has
 * started, so that the real shutdown finds its classes loaded and its lambdas linked. A
 * JVM runs its shutdown code once and cold: for an application whose disposals are all
 * fast, loading and linking that code was most of what the starter added to SIGTERM to
 * exit (tens of milliseconds on JDK 17), more than the disposals themselves. Spring Boot
 * warms other code the same way ({@code BackgroundPreinitializer}), and this rehearsal
 * honours Boot's switch for it: the system property
 * {@value #IGNORE_PROPERTY}{@code =true} turns both off.
 *
 * <p>
 * The rehearsal has a registry of its own, closed before it starts, so that every step
 * runs on the rehearsal's one thread: it starts no disposal thread, touches nothing of
 * the application, tells no listener and logs nothing. It runs once per JVM (what it
 * loads stays loaded), and never in a native image (nothing is loaded at run time there).
 */
final class ShutdownRehearsal {

	/** Spring Boot's switch for its background warm-up. */
	static final String IGNORE_PROPERTY = "spring.backgroundpreinitializer.ignore";

	private static final Log logger = LogFactory.getLog(ShutdownRehearsal.class);

	private static final AtomicBoolean started = new AtomicBoolean();

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
	 * Disposes stand-ins as a shutdown would, on the calling thread: a singleton and a
	 * prototype with a sync {@code close()}, and an async disposable.
	 * @param settings the application's settings
	 * @return the rehearsal's report
	 */
	static ShutdownReport rehearse(DisposalSettings settings) {
		DisposableRegistry registry = new DisposableRegistry(settings);
		registry.close(); // no thread: every step runs on the caller's
		DisposalPlanner planner = new DisposalPlanner();
		register(registry, planner, new SyncStandIn(), "rehearsalSingleton", ConfigurableBeanFactory.SCOPE_SINGLETON);
		register(registry, planner, new SyncStandIn(), "rehearsalPrototype", ConfigurableBeanFactory.SCOPE_PROTOTYPE);
		register(registry, planner, new AsyncStandIn(), "rehearsalAsync", ConfigurableBeanFactory.SCOPE_SINGLETON);
		ShutdownReport report = new ShutdownDisposer(registry, (beanName) -> new String[0], List::of)
			.disposeWithin(Duration.ofSeconds(10));
		// The strings the real shutdown logs.
		report.summary();
		report.criticalPathSummary();
		return report;
	}

	private static void register(DisposableRegistry registry, DisposalPlanner planner, Object instance, String beanName,
			String scope) {
		DisposalPlan plan = planner.plan(instance.getClass(), null);
		if (plan != null) {
			registry.register(instance, beanName, scope, plan, true, null);
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
	 * A resource disposed asynchronously.
	 */
	static final class AsyncStandIn implements AsyncDisposable {

		@Override
		public CompletionStage<Void> disposeAsync() {
			return CompletableFuture.completedFuture(null);
		}

	}

}
