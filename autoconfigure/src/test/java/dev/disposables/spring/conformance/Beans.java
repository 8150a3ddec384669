package dev.disposables.spring.conformance;

import java.io.Serializable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.disposables.AsyncDisposable;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanNameAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Lazy;
import org.springframework.scheduling.annotation.Async;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The beans the scenarios are made of: one {@link Helper} class per way Spring detects a
 * destruction callback, and one user class per way a dependency on the helper is
 * expressed. Every helper has a {@code @Transactional} and an {@code @Async} method, so
 * whichever proxying infrastructure a scenario enables proxies it for real.
 */
public final class Beans {

	/**
	 * Simulated work of a user's destruction callback: long enough to see a helper
	 * disposed while it runs.
	 */
	static final long USER_WORK_MILLIS = 10;

	private Beans() {
	}

	/** The business interface: what a JDK proxy implements. */
	public interface Helper {

		void touch();

		/**
		 * Whether a transaction is active while this runs (a real one when proxied
		 * by @Transactional).
		 */
		boolean transactional();

		void fireAndForget();

	}

	public abstract static class HelperBase extends Tracked implements Helper {

		private static final long serialVersionUID = 1L;

		@Override
		public void touch() {
		}

		@Override
		@Transactional
		public boolean transactional() {
			return TransactionSynchronizationManager.isActualTransactionActive();
		}

		@Override
		@Async
		public void fireAndForget() {
		}

	}

	public static class CloseableHelper extends HelperBase implements AutoCloseable {

		private static final long serialVersionUID = 1L;

		@Override
		public void close() {
			callback("close", 0);
		}

	}

	public static class ShutdownHelper extends HelperBase {

		private static final long serialVersionUID = 1L;

		public void shutdown() {
			callback("shutdown", 0);
		}

	}

	public static class PublicPreDestroyHelper extends HelperBase {

		private static final long serialVersionUID = 1L;

		@PreDestroy
		public void preDestroy() {
			callback("preDestroy", 0);
		}

	}

	public static class PrivatePreDestroyHelper extends HelperBase {

		private static final long serialVersionUID = 1L;

		@PreDestroy
		private void preDestroy() {
			callback("preDestroy", 0);
		}

	}

	public abstract static class PrivatePreDestroyBase extends HelperBase {

		private static final long serialVersionUID = 1L;

		@PreDestroy
		private void basePreDestroy() {
			callback("basePreDestroy", 0);
		}

	}

	public static class InheritedPreDestroyHelper extends PrivatePreDestroyBase {

		private static final long serialVersionUID = 1L;

	}

	public static class DisposableBeanHelper extends HelperBase implements DisposableBean {

		private static final long serialVersionUID = 1L;

		@Override
		public void destroy() {
			callback("destroy", 0);
		}

	}

	/** {@code destroyMethod = "release"}. */
	public static class ReleaseHelper extends HelperBase {

		private static final long serialVersionUID = 1L;

		public void release() {
			callback("release", 0);
		}

	}

	/**
	 * {@code destroyMethod = "release"} naming a method that is also {@code @PreDestroy}.
	 */
	public static class AnnotatedReleaseHelper extends HelperBase {

		private static final long serialVersionUID = 1L;

		@PreDestroy
		public void release() {
			callback("release", 0);
		}

	}

	/** An async destroy method only: stock Spring does not know it. */
	public static class AsyncMethodHelper extends HelperBase {

		private static final long serialVersionUID = 1L;

		public CompletionStage<Void> disposeAsync() {
			callback("disposeAsync", 0);
			return CompletableFuture.completedFuture(null);
		}

	}

	/**
	 * {@link AsyncDisposable}: stock Spring closes it (the default close() awaits
	 * disposeAsync()).
	 */
	public static class AsyncDisposableHelper extends HelperBase implements AsyncDisposable {

		private static final long serialVersionUID = 1L;

		@Override
		public CompletionStage<Void> disposeAsync() {
			callback("disposeAsync", 0);
			return CompletableFuture.completedFuture(null);
		}

	}

	/**
	 * An {@code ExecutorService}. On JDK 17 Spring infers {@code shutdown()}; on JDK 19+
	 * its {@code close()} calls {@code shutdown()} too, so the journal shows
	 * {@code shutdown} either way.
	 */
	public static class ExecutorHelper extends ThreadPoolExecutor implements Helper, BeanNameAware {

		private final transient @Nullable CallbackJournal journal = CallbackJournal.current();

		private @Nullable String instance;

		private final AtomicBoolean open = new AtomicBoolean(true);

		public ExecutorHelper() {
			super(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
		}

		@Override
		public void setBeanName(String name) {
			if (this.instance == null) {
				this.instance = ((this.journal != null) ? this.journal : CallbackJournal.current()).created(name);
			}
		}

		@Override
		public void shutdown() {
			Tracked.record(this, this.journal, this.instance, this.open, "shutdown", 0);
			super.shutdown();
		}

		@Override
		public void touch() {
		}

		@Override
		@Transactional
		public boolean transactional() {
			return TransactionSynchronizationManager.isActualTransactionActive();
		}

		@Override
		@Async
		public void fireAndForget() {
		}

	}

	// ---- users
	// ---------------------------------------------------------------------------------------------------

	/** A bean that uses the helper; its own destruction callback takes a little time. */
	public abstract static class UserBase extends Tracked {

		private static final long serialVersionUID = 1L;

		/**
		 * What the user holds (a proxy when the helper is proxied), if it holds anything.
		 */
		public abstract @Nullable Helper helper();

		@PreDestroy
		public void preDestroy() {
			callback("preDestroy", USER_WORK_MILLIS);
		}

	}

	public static class ConstructorUser extends UserBase {

		private static final long serialVersionUID = 1L;

		private final Helper helper;

		public ConstructorUser(Helper helper) {
			this.helper = helper;
		}

		@Override
		public Helper helper() {
			return this.helper;
		}

	}

	public static class FieldUser extends UserBase {

		private static final long serialVersionUID = 1L;

		@Autowired
		private @Nullable Helper helper;

		@Override
		public @Nullable Helper helper() {
			return this.helper;
		}

	}

	/** Registered with {@code dependsOn("helper")}. */
	public static class DependsOnUser extends UserBase {

		private static final long serialVersionUID = 1L;

		@Override
		public @Nullable Helper helper() {
			return null;
		}

	}

	/**
	 * Resolves the helper through an {@link ObjectProvider} in its constructor: Spring
	 * records no dependency.
	 */
	public static class ProviderUser extends UserBase {

		private static final long serialVersionUID = 1L;

		private final Helper helper;

		public ProviderUser(ObjectProvider<Helper> helpers) {
			this.helper = helpers.getObject();
		}

		@Override
		public Helper helper() {
			return this.helper;
		}

	}

	/** Gets a {@code @Lazy} proxy in its constructor and uses it in an initializer. */
	public static class LazyUser extends UserBase {

		private static final long serialVersionUID = 1L;

		private final transient Helper helper;

		public LazyUser(@Lazy Helper helper) {
			this.helper = helper;
		}

		@PostConstruct
		void init() {
			this.helper.touch();
		}

		@Override
		public Helper helper() {
			return this.helper;
		}

	}

	/** Created last; fails the refresh. */
	public static class Breaker implements Serializable {

		private static final long serialVersionUID = 1L;

		public Breaker() {
			throw new IllegalStateException("conformance: this bean fails the refresh on purpose");
		}

	}

}
