package dev.disposables.spring;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.disposables.AsyncDisposable;
import dev.disposables.DisposableBase;
import dev.disposables.DisposableStack;
import dev.disposables.DisposalEvents;
import dev.disposables.ReportsDisposal;
import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import jakarta.annotation.PreDestroy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A resource its user disposed, by any path the starter can observe, is known as
 * disposed: never disposed again, never reported as a leak; and correct code that closes
 * an instance the starter cannot observe is never reported either. Only an instance of a
 * class that announces its disposal can be reported, when it is collected without having
 * been disposed.
 */
@ExtendWith(OutputCaptureExtension.class)
class UserDisposalTests {

	private static final Duration COLLECTION = Duration.ofSeconds(30);

	private static final int ROUNDS = 50;

	/** Callbacks run, by kind. */
	static final ConcurrentHashMap<String, AtomicInteger> calls = new ConcurrentHashMap<>();

	private final ApplicationContextRunner stock = new ApplicationContextRunner().withUserConfiguration(Kinds.class);

	private final ApplicationContextRunner starter = this.stock
		.withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class));

	@BeforeEach
	void reset() {
		calls.clear();
	}

	@Test
	void whatItsUserDisposedIsNeverReportedAsALeakWhateverTheKind(CapturedOutput output) {
		this.starter.run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			List<WeakReference<Object>> used = new ArrayList<>();
			for (int i = 0; i < ROUNDS; i++) {
				used.addAll(useEachKindCorrectly(context));
			}
			awaitCollected(used);
			// Every instance has ended (disposed, or collected and counted), none as a
			// leak.
			await().atMost(COLLECTION).untilAsserted(() -> {
				System.gc();
				assertThat(registry.count("prototype", ResourceState.LIVE)).isZero();
			});
			assertThat(registry.count("prototype", ResourceState.LEAKED)).isZero();
			assertThat(registry.recentLeaks()).isEmpty();
			// The user's own disposals, each once: the registry ran none of them again.
			assertThat(count("plain")).isEqualTo(3 * ROUNDS);
			assertThat(count("base")).isEqualTo(ROUNDS);
			assertThat(count("async")).isEqualTo(ROUNDS);
			assertThat(count("stop")).isEqualTo(ROUNDS);
			assertThat(count("preDestroy")).isEqualTo(ROUNDS);
			assertThat(count("announcing")).isEqualTo(ROUNDS);
			// The observed ones are disposed at once, the others once collected.
			assertThat(registry.count("prototype", ResourceState.DISPOSED)).isGreaterThanOrEqualTo(4 * ROUNDS);
		});
		assertThat(output).doesNotContainPattern("Leak: [^\\n]*UserDisposalTests");
	}

	@Test
	void anInstanceThatAnnouncesItsDisposalIsReportedWhenDroppedUndisposed(CapturedOutput output) {
		this.starter.run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			List<WeakReference<Object>> dropped = List.of(new WeakReference<>(context.getBean(BaseConn.class)),
					new WeakReference<>(context.getBean(AnnouncingConn.class)));
			awaitCollected(dropped);
			await().atMost(COLLECTION).untilAsserted(() -> {
				System.gc();
				assertThat(registry.count("prototype", ResourceState.LEAKED)).isEqualTo(2);
			});
			assertThat(registry.recentLeaks()).extracting(LeakReport::beanName)
				.containsExactlyInAnyOrder("baseConn", "announcingConn");
		});
		assertThat(output).contains("Leak: an instance of bean 'baseConn'")
			.contains("Leak: an instance of bean 'announcingConn'");
	}

	@Test
	void aPlainInstanceDroppedUndisposedIsCountedAsCollectedNotAsALeak(CapturedOutput output) {
		this.starter.run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			awaitCollected(List.of(new WeakReference<>(context.getBean(PlainConn.class))));
			await().atMost(COLLECTION).untilAsserted(() -> {
				System.gc();
				assertThat(registry.count("prototype", ResourceState.COLLECTED)).isEqualTo(1);
			});
			assertThat(registry.count("prototype", ResourceState.LEAKED)).isZero();
		});
		assertThat(output).doesNotContainPattern("Leak: [^\\n]*UserDisposalTests");
	}

	/**
	 * Issue 22 item 6: a prototype its user disposed and still holds at shutdown is not
	 * disposed again. Differential: the same scenario on stock Spring.
	 */
	@Test
	void whatItsUserDisposedAndStillHoldsIsNotDisposedAgainAtShutdown() {
		List<Object> held = new ArrayList<>();
		this.stock.run((context) -> held.addAll(disposeAndHold(context)));
		int[] stockCalls = { count("plain"), count("announcing"), count("base") };
		calls.clear();
		held.clear();
		this.starter.run((context) -> held.addAll(disposeAndHold(context)));
		assertThat(held).hasSize(3);
		int[] starterCalls = { count("plain"), count("announcing"), count("base") };
		assertThat(stockCalls).containsExactly(1, 1, 1);
		assertThat(starterCalls).containsExactly(stockCalls);
	}

	/**
	 * Issue 22 item 6, for a class whose disposal the starter cannot observe: its user
	 * closes it directly and still holds it at shutdown. One that says it is closed
	 * ({@code isClosed()}, {@code isOpen()}) is not closed again, as with stock Spring;
	 * one whose query throws is disposed as usual (the starter cannot tell).
	 * Differential.
	 */
	@Test
	void whatSaysItIsClosedIsNotClosedAgainAtShutdown() {
		List<Object> held = new ArrayList<>();
		this.stock.run((context) -> held.addAll(closeDirectlyAndHold(context)));
		int[] stockCalls = { count("queryable"), count("channel"), count("confused") };
		calls.clear();
		held.clear();
		this.starter.run((context) -> held.addAll(closeDirectlyAndHold(context)));
		assertThat(held).hasSize(4);
		int[] starterCalls = { count("queryable"), count("channel"), count("confused") };
		assertThat(stockCalls).containsExactly(1, 1, 1);
		assertThat(starterCalls).containsExactly(1, 1, 2);
		assertThat(count("open-queryable")).isEqualTo(1); // held open: disposed at
															// shutdown
	}

	private static List<Object> closeDirectlyAndHold(ConfigurableApplicationContext context) {
		QueryableConn queryable = context.getBean("queryableConn", QueryableConn.class);
		queryable.close();
		ChannelConn channel = context.getBean(ChannelConn.class);
		channel.close();
		ConfusedConn confused = context.getBean(ConfusedConn.class);
		confused.close();
		OpenQueryableConn open = context.getBean(OpenQueryableConn.class);
		return List.of(queryable, channel, confused, open);
	}

	/** Disposed by their user, by paths the starter observes, and kept reachable. */
	private static List<Object> disposeAndHold(ConfigurableApplicationContext context) throws Exception {
		PlainConn plain = context.getBean(PlainConn.class);
		try (DisposableStack stack = new DisposableStack()) {
			stack.use(plain);
		}
		AnnouncingConn announcing = context.getBean(AnnouncingConn.class);
		announcing.close();
		BaseConn base = context.getBean(BaseConn.class);
		base.close();
		return List.of(plain, announcing, base);
	}

	/**
	 * Each detection kind obtained from the context and disposed the way the guide
	 * recommends, by a path the starter may not see.
	 * @return the instances, weakly
	 */
	private static List<WeakReference<Object>> useEachKindCorrectly(ConfigurableApplicationContext context)
			throws Exception {
		List<WeakReference<Object>> used = new ArrayList<>();
		try (PlainConn plain = context.getBean(PlainConn.class)) {
			used.add(new WeakReference<>(plain));
		}
		try (DisposableStack stack = new DisposableStack()) {
			used.add(new WeakReference<>(stack.use(context.getBean(PlainConn.class))));
		}
		PlainConn destroyed = context.getBean(PlainConn.class);
		context.getBeanFactory().destroyBean("plainConn", destroyed);
		used.add(new WeakReference<>(destroyed));
		try (BaseConn base = context.getBean(BaseConn.class)) {
			used.add(new WeakReference<>(base));
		}
		try (AsyncConn async = context.getBean(AsyncConn.class)) {
			used.add(new WeakReference<>(async));
		}
		Stoppable stoppable = context.getBean(Stoppable.class);
		stoppable.stop();
		used.add(new WeakReference<>(stoppable));
		PreDestroyed preDestroyed = context.getBean(PreDestroyed.class);
		preDestroyed.release();
		used.add(new WeakReference<>(preDestroyed));
		try (AnnouncingConn announcing = context.getBean(AnnouncingConn.class)) {
			used.add(new WeakReference<>(announcing));
		}
		return used;
	}

	private static void awaitCollected(List<WeakReference<Object>> references) {
		await().atMost(COLLECTION).until(() -> {
			System.gc();
			return references.stream().allMatch((reference) -> reference.get() == null);
		});
	}

	private static int count(String kind) {
		AtomicInteger counter = calls.get(kind);
		return (counter != null) ? counter.get() : 0;
	}

	private static void called(String kind) {
		calls.computeIfAbsent(kind, (key) -> new AtomicInteger()).incrementAndGet();
	}

	@Configuration(proxyBeanMethods = false)
	static class Kinds {

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		PlainConn plainConn() {
			return new PlainConn();
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		BaseConn baseConn() {
			return new BaseConn();
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		AsyncConn asyncConn() {
			return new AsyncConn();
		}

		@Bean(destroyMethod = "stop")
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		Stoppable stoppable() {
			return new Stoppable();
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		PreDestroyed preDestroyed() {
			return new PreDestroyed();
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		AnnouncingConn announcingConn() {
			return new AnnouncingConn();
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		QueryableConn queryableConn() {
			return new QueryableConn("queryable");
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		OpenQueryableConn openQueryableConn() {
			return new OpenQueryableConn();
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		ChannelConn channelConn() {
			return new ChannelConn();
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		ConfusedConn confusedConn() {
			return new ConfusedConn();
		}

	}

	static class PlainConn implements AutoCloseable {

		@Override
		public void close() {
			called("plain");
		}

	}

	static class BaseConn extends DisposableBase {

		@Override
		protected void disposeCore() {
			called("base");
		}

	}

	static class AsyncConn implements AsyncDisposable {

		@Override
		public CompletionStage<Void> disposeAsync() {
			called("async");
			return CompletableFuture.completedFuture(null);
		}

	}

	static class Stoppable {

		public void stop() {
			called("stop");
		}

	}

	static class PreDestroyed {

		@PreDestroy
		void release() {
			called("preDestroy");
		}

	}

	@ReportsDisposal
	static class AnnouncingConn implements AutoCloseable {

		@Override
		public void close() {
			DisposalEvents.disposed(this);
			called("announcing");
		}

	}

	/** Says whether it is closed, as a JDBC connection does. */
	public static class QueryableConn implements AutoCloseable {

		private final String kind;

		private volatile boolean closed;

		QueryableConn(String kind) {
			this.kind = kind;
		}

		@Override
		public void close() {
			this.closed = true;
			called(this.kind);
		}

		public boolean isClosed() {
			return this.closed;
		}

	}

	/** The same, never closed by its user. */
	public static class OpenQueryableConn extends QueryableConn {

		OpenQueryableConn() {
			super("open-queryable");
		}

	}

	/** Says whether it is open, as a channel does. */
	public static class ChannelConn implements AutoCloseable {

		private volatile boolean open = true;

		@Override
		public void close() {
			this.open = false;
			called("channel");
		}

		public boolean isOpen() {
			return this.open;
		}

	}

	/** Its query fails: the starter cannot tell, and disposes it. */
	public static class ConfusedConn implements AutoCloseable {

		@Override
		public void close() {
			called("confused");
		}

		public boolean isClosed() {
			throw new IllegalStateException("cannot tell");
		}

	}

}
