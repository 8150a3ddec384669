package dev.disposables.boot.autoconfigure;

import java.time.Duration;

import dev.disposables.spring.DisposalSettings;
import dev.disposables.spring.LeakDetectionLevel;
import dev.disposables.spring.PrototypeTracking;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of Disposables ({@code disposables.*}).
 */
@ConfigurationProperties("disposables")
public class DisposablesProperties {

	/**
	 * Whether the starter manages disposal at all. When false, Spring's own behaviour is
	 * left untouched.
	 */
	private boolean enabled = true;

	/**
	 * Disposal at context shutdown.
	 */
	private final Shutdown shutdown = new Shutdown();

	/**
	 * Tracking of prototype beans, which Spring never destroys.
	 */
	private final Prototypes prototypes = new Prototypes();

	/**
	 * Detection of resources garbage-collected without being disposed.
	 */
	private final LeakDetection leakDetection = new LeakDetection();

	private final Scopes scopes = new Scopes();

	/**
	 * Per-exchange disposal scopes in reactive (WebFlux) web applications.
	 */
	private final WebFlux webflux = new WebFlux();

	/**
	 * Built-in disposal adapters, each active when its library is on the class path.
	 */
	private final Adapters adapters = new Adapters();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public Prototypes getPrototypes() {
		return this.prototypes;
	}

	public LeakDetection getLeakDetection() {
		return this.leakDetection;
	}

	public Scopes getScopes() {
		return this.scopes;
	}

	public WebFlux getWebflux() {
		return this.webflux;
	}

	public Adapters getAdapters() {
		return this.adapters;
	}

	/**
	 * The engine settings these properties describe. The defaults of the fields here are
	 * written as literals because Spring Boot's configuration metadata reads them from
	 * the source; {@code DisposablesPropertiesTests} keeps them equal to
	 * {@link DisposalSettings#defaults()}, where the engine declares them.
	 * @return the settings
	 * @throws IllegalArgumentException if a value is invalid (the binder reports such a
	 * value earlier, naming the property)
	 */
	public DisposalSettings toSettings() {
		return DisposalSettings.builder()
			.shutdownTimeout(this.shutdown.getTimeout())
			.perResourceTimeout(this.shutdown.getPerResourceTimeout())
			.maxConcurrency(this.shutdown.getMaxConcurrency())
			.readyThreads(this.shutdown.getReadyThreads())
			.criticalPathThreshold(this.shutdown.getCriticalPathThreshold())
			.prototypeTracking(this.prototypes.getTracking())
			.prototypeSamplingInterval(this.prototypes.getSamplingInterval())
			.leakDetectionLevel(this.leakDetection.getLevel())
			.samplingInterval(this.leakDetection.getSamplingInterval())
			.build();
	}

	/**
	 * Disposal at context shutdown.
	 */
	public static class Shutdown {

		/**
		 * Overall deadline for disposing every resource at shutdown. Capped by
		 * spring.lifecycle.timeout-per-shutdown-phase.
		 */
		private Duration timeout = Duration.ofSeconds(30);

		/**
		 * How long one resource's disposal may take before it is abandoned (a sync one is
		 * interrupted).
		 */
		private Duration perResourceTimeout = Duration.ofSeconds(10);

		/**
		 * Maximum number of sync (blocking) disposals running at the same time. Must be
		 * at least 1.
		 */
		private int maxConcurrency = 128;

		/**
		 * How many disposal threads to start once the application has started and keep
		 * idle until it shuts down, so that the shutdown does not wait for a thread to
		 * start (about 0.1-5 ms each, most of what the starter added to the shutdown of
		 * an application whose disposals are all fast); about 100 KiB of memory each. 0
		 * starts them on demand. At most disposables.shutdown.max-concurrency.
		 */
		private int readyThreads = 1;

		/**
		 * Above this duration, the shutdown's critical path (the chain of disposals that
		 * decided how long it took) and its slowest disposals are logged at INFO after
		 * the summary line; below it, at DEBUG. Zero logs them at INFO every time.
		 */
		private Duration criticalPathThreshold = Duration.ofSeconds(1);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getPerResourceTimeout() {
			return this.perResourceTimeout;
		}

		public void setPerResourceTimeout(Duration perResourceTimeout) {
			this.perResourceTimeout = perResourceTimeout;
		}

		public int getMaxConcurrency() {
			return this.maxConcurrency;
		}

		public void setMaxConcurrency(int maxConcurrency) {
			this.maxConcurrency = maxConcurrency;
		}

		public int getReadyThreads() {
			return this.readyThreads;
		}

		public void setReadyThreads(int readyThreads) {
			this.readyThreads = readyThreads;
		}

		public Duration getCriticalPathThreshold() {
			return this.criticalPathThreshold;
		}

		public void setCriticalPathThreshold(Duration criticalPathThreshold) {
			this.criticalPathThreshold = criticalPathThreshold;
		}

	}

	/**
	 * Prototype beans, which Spring never destroys.
	 */
	public static class Prototypes {

		/**
		 * How prototypes owned by the application (no scope, no owner bean) are tracked:
		 * weak (disposed at shutdown if alive, reported as leaks if collected
		 * undisposed), strong (kept until shutdown) or off.
		 */
		private PrototypeTracking tracking = PrototypeTracking.WEAK;

		/**
		 * With weak tracking, one application-owned prototype in this many is tracked
		 * (chosen by identity hash); the others are left to Spring as with tracking off:
		 * not disposed at shutdown, not reported as leaks. 1 (the default) tracks every
		 * one. For prototypes created on a hot path, where each tracked instance costs
		 * the garbage collector a weak reference to process. Must be at least 1.
		 */
		private int samplingInterval = 1;

		public PrototypeTracking getTracking() {
			return this.tracking;
		}

		public void setTracking(PrototypeTracking tracking) {
			this.tracking = tracking;
		}

		public int getSamplingInterval() {
			return this.samplingInterval;
		}

		public void setSamplingInterval(int samplingInterval) {
			this.samplingInterval = samplingInterval;
		}

	}

	/**
	 * Detection of resources garbage-collected without being disposed.
	 */
	public static class LeakDetection {

		/**
		 * Leak detection level: disabled, simple (leaks reported without allocation
		 * site), advanced (one instance in sampling-interval records its allocation site)
		 * or paranoid (every instance records its allocation site; for tests).
		 */
		private LeakDetectionLevel level = LeakDetectionLevel.SIMPLE;

		/**
		 * One tracked instance in this many records its allocation site at the advanced
		 * level. Must be at least 1.
		 */
		private int samplingInterval = 128;

		public LeakDetectionLevel getLevel() {
			return this.level;
		}

		public void setLevel(LeakDetectionLevel level) {
			this.level = level;
		}

		public int getSamplingInterval() {
			return this.samplingInterval;
		}

		public void setSamplingInterval(int samplingInterval) {
			this.samplingInterval = samplingInterval;
		}

	}

	/**
	 * Programmatic disposal scopes.
	 */
	public static class Scopes {

		/**
		 * Whether Boot's auto-configured task executors (and @Async) carry the current
		 * DisposalScope to their threads, through a ContextPropagatingTaskDecorator
		 * (unless the application defines a TaskDecorator). Needs
		 * io.micrometer:context-propagation.
		 */
		private boolean propagateToTaskExecutors = true;

		public boolean isPropagateToTaskExecutors() {
			return this.propagateToTaskExecutors;
		}

		public void setPropagateToTaskExecutors(boolean propagateToTaskExecutors) {
			this.propagateToTaskExecutors = propagateToTaskExecutors;
		}

	}

	/**
	 * Per-exchange disposal scopes in reactive (WebFlux) web applications.
	 */
	public static class WebFlux {

		/**
		 * Whether each WebFlux server exchange gets its own DisposalScope, disposed when
		 * the exchange is over (response written, error or client cancel), off the event
		 * loop.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Built-in disposal adapters: library-aware, async-first disposal with escalation to
	 * a forceful close at the per-resource timeout.
	 */
	public static class Adapters {

		/**
		 * Netty EventExecutorGroup beans (event loop groups): shutdownGracefully,
		 * shutdownNow at the timeout.
		 */
		private final Netty netty = new Netty();

		/**
		 * R2DBC ConnectionPool and other closeable ConnectionFactory beans: disposeLater
		 * or close, never a blocking dispose.
		 */
		private final Adapter r2dbc = new Adapter();

		/**
		 * Lettuce RedisClient, RedisClusterClient and ClientResources beans:
		 * shutdownAsync and shutdown without blocking.
		 */
		private final Adapter lettuce = new Adapter();

		/**
		 * gRPC ManagedChannel and Server beans: shutdown, termination awaited,
		 * shutdownNow at the timeout.
		 */
		private final Adapter grpc = new Adapter();

		/**
		 * Reactor Scheduler (disposeGracefully) and Disposable (dispose) beans.
		 */
		private final Adapter reactor = new Adapter();

		/**
		 * Apache HttpClient 5 async client beans: graceful shutdown without blocking,
		 * immediate close at the timeout.
		 */
		private final Adapter httpclient5 = new Adapter();

		/**
		 * Cassandra driver (DataStax) CqlSession beans: closeAsync, forceCloseAsync at
		 * the timeout.
		 */
		private final Adapter cassandra = new Adapter();

		/**
		 * OkHttpClient beans, which have no close method: dispatcher shut down,
		 * connections evicted, cache closed.
		 */
		private final Adapter okhttp = new Adapter();

		public Netty getNetty() {
			return this.netty;
		}

		public Adapter getR2dbc() {
			return this.r2dbc;
		}

		public Adapter getLettuce() {
			return this.lettuce;
		}

		public Adapter getGrpc() {
			return this.grpc;
		}

		public Adapter getReactor() {
			return this.reactor;
		}

		public Adapter getHttpclient5() {
			return this.httpclient5;
		}

		public Adapter getCassandra() {
			return this.cassandra;
		}

		public Adapter getOkhttp() {
			return this.okhttp;
		}

	}

	/**
	 * One built-in adapter.
	 */
	public static class Adapter {

		/**
		 * Whether this built-in adapter is used when its library is on the class path.
		 * When false, such beans are disposed by the generic rules.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * The Netty adapter.
	 */
	public static class Netty extends Adapter {

		/**
		 * Netty's quiet period for shutdownGracefully: a group keeps running tasks
		 * submitted during it and stops once none came for that long. Capped at
		 * disposables.shutdown.per-resource-timeout, which is Netty's shutdown timeout.
		 */
		private Duration quietPeriod = Duration.ofMillis(100);

		public Duration getQuietPeriod() {
			return this.quietPeriod;
		}

		public void setQuietPeriod(Duration quietPeriod) {
			this.quietPeriod = quietPeriod;
		}

	}

}
