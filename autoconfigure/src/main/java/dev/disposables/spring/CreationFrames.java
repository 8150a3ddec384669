package dev.disposables.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.core.SimpleAliasRegistry;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.StartupStep;

/**
 * Which beans are being created on the current thread, innermost last, so that a prototype created while another
 * bean is being created (constructor, field or method injection, an {@code ObjectProvider} resolved in an
 * initializer) can be given that bean as its owner.
 *
 * <p>Spring offers no per-creation callback that runs <em>before</em> constructor arguments are resolved
 * ({@code postProcessBeforeInstantiation} runs once per bean definition, not per instance), but every
 * {@code getBean} that creates an instance opens and closes a {@code spring.beans.instantiate}
 * {@link StartupStep} around the whole creation, in a {@code finally}. {@link TrackingApplicationStartup} wraps the
 * bean factory's {@link ApplicationStartup} and turns those steps into {@link Frame}s; the wrapped startup still
 * receives every step, so the actuator's startup endpoint keeps working.
 *
 * <p>Spring opens that step on every {@code getBean} that misses the singleton cache, including each method call on a
 * scoped proxy whose target already exists in its scope. So a frame costs no allocation: each thread keeps the frames
 * it has ended and reuses them ({@link Frames}), and one thread-local read per step is all the bookkeeping.
 */
final class CreationFrames {

	static final String INSTANTIATE_STEP = "spring.beans.instantiate";

	private static final ThreadLocal<Frames> frames = ThreadLocal.withInitial(Frames::new);

	private CreationFrames() {
	}

	/**
	 * The frame of the bean that has just been initialized, if it is the innermost creation of this factory on
	 * this thread; it is marked as claimed so that a second object (a {@code FactoryBean}'s product) does not take
	 * it again.
	 */
	static @Nullable Frame claim(BeanFactory factory, String beanName) {
		Frame frame = frames.get().top;
		if (frame == null || frame.factory != factory || frame.claimed || !frame.matches(beanName)) {
			return null;
		}
		frame.claimed = true;
		return frame;
	}

	/**
	 * The innermost bean creation on this thread, if it belongs to a bean factory.
	 */
	static @Nullable Frame current(BeanFactory factory) {
		Frame frame = frames.get().top;
		return (frame != null && frame.factory == factory) ? frame : null;
	}

	/**
	 * The frame of the bean being created that encloses a bean that has just been initialized: its owner, if it is a
	 * prototype injected into it.
	 * @param own the frame of the bean itself, if it has one
	 */
	static @Nullable Frame enclosing(BeanFactory factory, @Nullable Frame own) {
		Frame frame = (own != null) ? own.parent : frames.get().top;
		return (frame != null && frame.factory == factory) ? frame : null;
	}

	/**
	 * The frames of one thread: the innermost open one, and the ended ones kept for reuse (as many as the deepest
	 * nesting seen on the thread). Only its own thread touches it.
	 */
	private static final class Frames {

		private final Thread thread = Thread.currentThread();

		private @Nullable Frame top;

		private @Nullable Frame free;

		Frame open(StartupStep delegate, BeanFactory factory) {
			Frame frame = this.free;
			if (frame != null) {
				this.free = frame.parent;
			}
			else {
				frame = new Frame(this);
			}
			frame.delegate = delegate;
			frame.factory = factory;
			frame.parent = this.top;
			frame.open = true;
			this.top = frame;
			return frame;
		}

	}

	/**
	 * One bean creation in progress ({@code getBean} that is not a cached singleton). Used only on the thread that
	 * opened it, between Spring's start and end of the step, and reused by that thread afterwards: nothing keeps a
	 * frame beyond the creation it stands for.
	 */
	static final class Frame implements StartupStep {

		private final Frames frames;

		private @Nullable StartupStep delegate;

		private @Nullable BeanFactory factory;

		/** The enclosing frame while open; the next free frame once ended. */
		private @Nullable Frame parent;

		private @Nullable String beanName;

		private boolean claimed;

		private boolean open;

		private @Nullable List<ManagedResource> pending;

		private @Nullable PendingHandler pendingHandler;

		Frame(Frames frames) {
			this.frames = frames;
		}

		private StartupStep delegate() {
			StartupStep current = this.delegate;
			if (current == null) {
				throw new IllegalStateException("Startup step used after it ended");
			}
			return current;
		}

		/** The canonical name of the bean being created, or {@code null} before Spring has tagged the step. */
		@Nullable String beanName() {
			String own = this.beanName;
			if (own == null) {
				return null;
			}
			String transformed = BeanFactoryUtils.transformedBeanName(own);
			return (this.factory instanceof SimpleAliasRegistry aliases) ? aliases.canonicalName(transformed)
					: transformed;
		}

		boolean matches(String name) {
			String own = this.beanName;
			if (own == null) {
				return false;
			}
			if (own.equals(name)) {
				return true;
			}
			String transformed = BeanFactoryUtils.transformedBeanName(own);
			if (transformed.equals(name)) {
				return true;
			}
			return this.factory instanceof SimpleAliasRegistry aliases && aliases.canonicalName(transformed).equals(name);
		}

		/**
		 * A resource created during this bean's creation, to be owned by it once the bean is initialized.
		 */
		void addPending(ManagedResource resource, PendingHandler handler) {
			if (this.pending == null) {
				this.pending = new ArrayList<>(2);
			}
			this.pending.add(resource);
			this.pendingHandler = handler;
		}

		boolean hasPending() {
			return this.pending != null && !this.pending.isEmpty();
		}

		List<ManagedResource> takePending() {
			List<ManagedResource> taken = this.pending;
			this.pending = null;
			return (taken != null) ? taken : List.of();
		}

		@Override
		public String getName() {
			return delegate().getName();
		}

		@Override
		public long getId() {
			return delegate().getId();
		}

		@Override
		public @Nullable Long getParentId() {
			return delegate().getParentId();
		}

		@Override
		public StartupStep tag(String key, String value) {
			if ("beanName".equals(key)) {
				this.beanName = value;
			}
			delegate().tag(key, value);
			return this;
		}

		@Override
		public StartupStep tag(String key, Supplier<String> value) {
			delegate().tag(key, value);
			return this;
		}

		@Override
		public Tags getTags() {
			return delegate().getTags();
		}

		@Override
		public void end() {
			if (!this.open) {
				return; // ended twice: the second end must not recycle a frame that is in use again
			}
			try {
				delegate().end();
			}
			finally {
				pop();
			}
		}

		private void pop() {
			this.open = false;
			Frames owner = this.frames;
			Frame current = owner.top;
			// Normally this frame is the innermost one; if a misbehaving caller left inner frames open, drop them too.
			while (current != null && current != this) {
				current = current.parent;
			}
			boolean innermost = (owner.top == this);
			if (current == this) {
				owner.top = this.parent;
			}
			List<ManagedResource> unclaimed = takePending();
			PendingHandler handler = this.pendingHandler;
			this.delegate = null;
			this.factory = null;
			this.beanName = null;
			this.claimed = false;
			this.pendingHandler = null;
			if (innermost && Thread.currentThread() == owner.thread) {
				// Ended in order on its own thread: reusable. Frames dropped out of order are left to the GC.
				this.parent = owner.free;
				owner.free = this;
			}
			else {
				this.parent = null;
			}
			if (!unclaimed.isEmpty() && handler != null) {
				// The bean was never initialized (its creation failed) or was not seen: nobody owns these yet.
				handler.unclaimed(unclaimed);
			}
		}

	}

	/** Decides what happens to resources whose owner never finished its creation. */
	@FunctionalInterface
	interface PendingHandler {

		void unclaimed(List<ManagedResource> resources);

	}

	/**
	 * The bean factory's {@link ApplicationStartup}, wrapped to record the creation frames.
	 */
	static final class TrackingApplicationStartup implements ApplicationStartup {

		private final ApplicationStartup delegate;

		private final BeanFactory factory;

		TrackingApplicationStartup(ApplicationStartup delegate, BeanFactory factory) {
			this.delegate = delegate;
			this.factory = factory;
		}

		ApplicationStartup delegate() {
			return this.delegate;
		}

		@Override
		public StartupStep start(String name) {
			StartupStep step = this.delegate.start(name);
			if (!INSTANTIATE_STEP.equals(name)) {
				return step;
			}
			return frames.get().open(step, this.factory);
		}

	}

}
