package dev.disposables.spring;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;

/**
 * Knows how to dispose instances of some library types async-first, and how to force them
 * closed when that takes longer than the per-resource timeout. Adapters are beans of this
 * type; they are consulted, in order, before the generic rules (async destroy methods,
 * {@code close()}, {@code shutdown()}, ...): the first one that {@link #supports(Class)
 * supports} a bean's class disposes it.
 *
 * <p>
 * The answer is part of the plan the starter computes once per bean class and definition,
 * so {@link #supports(Class)} and {@link #replacedDestroyMethods(Class)} are called once
 * per class, never per instance. Callbacks Spring would run besides the library's own
 * close ({@code @PreDestroy} methods, {@code DisposableBean}) still run, before the
 * adapter; a destroy method declared on the bean definition that the adapter does not
 * {@linkplain #replacedDestroyMethods(Class) replace} keeps the bean with the generic
 * rules.
 *
 * <p>
 * Adapters are looked up lazily, the first time a bean is planned, which can be while
 * post-processors are still being registered: declare them as {@code static @Bean}
 * methods with {@code @Role(BeanDefinition.ROLE_INFRASTRUCTURE)} and no dependencies on
 * application beans. They are found by type without eager initialization (so that no
 * {@code FactoryBean} is created early to learn its type): declare the adapter type as
 * the {@code @Bean} method's return type, not through a {@code FactoryBean}.
 *
 * <pre class="code">
 * &#064;Bean
 * &#064;Role(BeanDefinition.ROLE_INFRASTRUCTURE)
 * &#064;Order(0) // before the built-in adapters
 * static DisposalAdapter kafkaProducerAdapter() {
 *     return new DisposalAdapter() {
 *
 *         public String name() {
 *             return "kafka";
 *         }
 *
 *         public boolean supports(Class&lt;?&gt; type) {
 *             return Producer.class.isAssignableFrom(type);
 *         }
 *
 *         public Set&lt;String&gt; replacedDestroyMethods(Class&lt;?&gt; type) {
 *             return Set.of("close");
 *         }
 *
 *         public CompletionStage&lt;Void&gt; dispose(Object instance, Context context) {
 *             Producer&lt;?, ?&gt; producer = (Producer&lt;?, ?&gt;) instance;
 *             context.onTimeout(() -&gt; producer.close(Duration.ZERO));
 *             return CompletableFuture.runAsync(() -&gt; producer.close(context.timeout()), context.executor());
 *         }
 *
 *     };
 * }
 * </pre>
 *
 * @since 0.2.0
 */
public interface DisposalAdapter {

	/**
	 * The order of the built-in adapters: an adapter of the application's ordered before
	 * it (for instance {@code @Order(0)}) is consulted first; an unordered one
	 * ({@link Ordered#LOWEST_PRECEDENCE}) after them.
	 */
	int BUILT_IN_ORDER = Ordered.LOWEST_PRECEDENCE - 1000;

	/**
	 * A short, constant name, such as {@code netty}: shown for each resource by the
	 * {@code disposables} endpoint and used as the {@code adapter} tag of the
	 * {@code disposables.disposal} timer, so it must not depend on the instance.
	 * @return the name
	 */
	String name();

	/**
	 * Whether this adapter disposes instances of a class. Called once per bean class and
	 * definition.
	 * @param type the bean's class (the target class, never an AOP proxy's)
	 * @return whether {@link #dispose} handles instances of it
	 */
	boolean supports(Class<?> type);

	/**
	 * The destroy method names that Spring, Spring Boot or usual configuration declare
	 * for this type and that this adapter replaces: Spring skips them (they are
	 * registered as externally managed), so that, for instance, a blocking
	 * {@code dispose} declared with {@code @Bean(destroyMethod = "dispose")} is not
	 * called as well. The destroy method Spring would infer ({@code close},
	 * {@code shutdown}) is always replaced. A definition that declares a destroy method
	 * outside this set is not adapted: its declared method runs, as without the adapter.
	 * @param type the bean's class
	 * @return the replaced method names, empty by default
	 */
	default Set<String> replacedDestroyMethods(Class<?> type) {
		return Set.of();
	}

	/**
	 * Starts the disposal of an instance and returns at once; runs on one of the
	 * starter's threads. Escalation to a forceful close at the per-resource timeout is
	 * registered with {@link Context#onTimeout(Runnable)}.
	 * @param instance an instance of a {@linkplain #supports(Class) supported} class
	 * @param context the timeout, the starter's threads and helpers to wait without
	 * holding a thread
	 * @return a stage that completes when the instance is disposed, exceptionally if that
	 * failed
	 * @throws Exception if the disposal cannot be started (reported like a failed stage)
	 */
	CompletionStage<Void> dispose(Object instance, Context context) throws Exception;

	/**
	 * What the starter offers an adapter for one disposal.
	 *
	 * @since 0.2.0
	 */
	interface Context {

		/**
		 * How long the disposal may take before it is abandoned (and escalated): the
		 * per-resource timeout.
		 * @return the timeout
		 */
		Duration timeout();

		/**
		 * Registers a forceful close, run on a starter thread if the disposal has not
		 * finished within the {@linkplain #timeout() timeout} (or when the shutdown's
		 * overall deadline is reached first). The disposal is reported as timed out
		 * either way; never run if it finishes in time.
		 * @param escalation the forceful close, such as {@code shutdownNow()}
		 */
		void onTimeout(Runnable escalation);

		/**
		 * The starter's threads, for a short blocking step or a continuation that must
		 * not run on a library's thread.
		 * @return the executor
		 */
		Executor executor();

		/**
		 * Waits, without holding a thread, for the result of an async close: a
		 * {@link CompletionStage}, a Reactive Streams or {@code Flow} publisher
		 * (subscribed to, its subscription cancelled at the timeout), or a plain
		 * {@code Future} (which offers no callback: awaited on a starter thread,
		 * cancelled at the timeout).
		 * @param result what the library's close returned; {@code null} counts as done
		 * @return a stage that completes when the result does
		 */
		CompletionStage<Void> await(@Nullable Object result);

		/**
		 * Waits, without holding a thread, until a condition holds, such as
		 * {@code channel::isTerminated}: it is checked at once, then on the starter's
		 * threads at intervals growing from 1 ms to 50 ms, until it holds or the disposal
		 * is abandoned.
		 * @param condition a cheap, non-blocking check
		 * @return a stage that completes when the condition holds (exceptionally if the
		 * check throws)
		 */
		CompletionStage<Void> awaitCondition(BooleanSupplier condition);

	}

}
