package dev.disposables.spring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.core.SimpleAliasRegistry;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.StartupStep;
import org.springframework.util.Assert;

/**
 * Which beans are being created on the current thread, innermost last, so that a
 * prototype created while another bean is being created (constructor, field or method
 * injection, an {@code ObjectProvider} resolved in an initializer) can be given that bean
 * as its owner.
 *
 * <p>
 * Spring offers no per-creation callback that runs <em>before</em> constructor arguments
 * are resolved ({@code postProcessBeforeInstantiation} runs once per bean definition, not
 * per instance), but every {@code getBean} that creates an instance opens and closes a
 * {@code spring.beans.instantiate} {@link StartupStep} around the whole creation, in a
 * {@code finally}. {@link TrackingApplicationStartup} wraps the bean factory's
 * {@link ApplicationStartup} and turns those steps into {@link Frame}s; the wrapped
 * startup still receives every step, so the actuator's startup endpoint keeps working.
 *
 * <p>
 * Spring opens that step on every {@code getBean} that misses the singleton cache,
 * including each method call on a scoped proxy whose target already exists in its scope,
 * so a step must cost next to nothing: one thread-local read, and no allocation and no
 * reference store in the common case. Each thread keeps one frame per nesting depth
 * ({@link Frames}) and reuses it; a reused frame is long-lived, and with G1 every
 * reference stored into a long-lived object pays a write barrier with a memory fence, so
 * a frame only stores what changed (the same bean factory, step and bean name come back
 * on every call of a proxy). Measured: a fresh frame per step cost about 10 ns per proxy
 * call, a reused frame that stored every field about 25 ns (see
 * {@code ScopedProxyBenchmark}).
 */
final class CreationFrames {

	static final String INSTANTIATE_STEP = "spring.beans.instantiate";

	private static final ThreadLocal<Frames> frames = ThreadLocal.withInitial(Frames::new);

	private CreationFrames() {
	}

	/**
	 * The frame of the bean that has just been initialized, if it is the innermost
	 * creation of this factory on this thread; it is marked as claimed so that a second
	 * object (a {@code FactoryBean}'s product) does not take it again.
	 * @param factory the bean factory that initialized the bean
	 * @param beanName the name of the bean that has just been initialized
	 * @return the claimed frame, or {@code null} if there is none to claim
	 */
	static @Nullable Frame claim(BeanFactory factory, String beanName) {
		Frame frame = frames.get().top();
		if (frame == null || frame.factory != factory || frame.claimed || !frame.matches(beanName)) {
			return null;
		}
		frame.claimed = true;
		return frame;
	}

	/**
	 * The innermost bean creation on this thread, if it belongs to a bean factory.
	 * @param factory the bean factory the creation must belong to
	 * @return the innermost frame, or {@code null} if none or if it belongs to another
	 * factory
	 */
	static @Nullable Frame current(BeanFactory factory) {
		Frame frame = frames.get().top();
		return (frame != null && frame.factory == factory) ? frame : null;
	}

	/**
	 * The frame of the bean being created that encloses a bean that has just been
	 * initialized: its owner, if it is a prototype injected into it.
	 * @param factory the bean factory the enclosing creation must belong to
	 * @param own the frame of the bean itself, if it has one
	 * @return the enclosing frame, or {@code null} if none or if it belongs to another
	 * factory
	 */
	static @Nullable Frame enclosing(BeanFactory factory, @Nullable Frame own) {
		Frame frame = (own != null) ? own.parent : frames.get().top();
		return (frame != null && frame.factory == factory) ? frame : null;
	}

	/**
	 * The frames of one thread, one per nesting depth, {@code depth} of them open. Only
	 * its own thread touches it.
	 */
	private static final class Frames {

		private Frame[] stack = new Frame[8];

		private int depth;

		@Nullable Frame top() {
			int open = this.depth;
			return (open > 0) ? this.stack[open - 1] : null;
		}

		Frame open(StartupStep delegate, BeanFactory factory) {
			int index = this.depth;
			if (index == this.stack.length) {
				this.stack = Arrays.copyOf(this.stack, index * 2);
			}
			Frame frame = this.stack[index];
			if (frame == null) {
				frame = new Frame(this, index, (index > 0) ? this.stack[index - 1] : null);
				this.stack[index] = frame;
			}
			frame.open(delegate, factory);
			this.depth = index + 1;
			return frame;
		}

		/**
		 * Ends the frames from an index on (normally just the innermost one).
		 * @param index the depth of the outermost frame to end
		 */
		void close(int index) {
			for (int i = this.depth - 1; i >= index; i--) {
				this.depth = i;
				this.stack[i].closed();
			}
		}

	}

	/**
	 * One bean creation in progress ({@code getBean} that is not a cached singleton), at
	 * one nesting depth of one thread; reused by that thread for the next creation at
	 * that depth once ended. Nothing keeps a frame beyond the creation it stands for.
	 */
	static final class Frame implements StartupStep {

		private final Frames frames;

		private final int index;

		private final @Nullable Frame parent;

		// Stored only when they change: see the class comment of CreationFrames.

		private @Nullable StartupStep delegate;

		private @Nullable BeanFactory factory;

		private @Nullable String beanName;

		private boolean tagged;

		private boolean claimed;

		private boolean open;

		private @Nullable List<ManagedResource> pending;

		private @Nullable PendingHandler pendingHandler;

		Frame(Frames frames, int index, @Nullable Frame parent) {
			this.frames = frames;
			this.index = index;
			this.parent = parent;
		}

		void open(StartupStep delegate, BeanFactory factory) {
			if (this.delegate != delegate) {
				this.delegate = delegate;
			}
			if (this.factory != factory) {
				this.factory = factory;
			}
			this.tagged = false;
			this.claimed = false;
			this.open = true;
		}

		private StartupStep delegate() {
			StartupStep current = this.delegate;
			Assert.state(current != null, "Frame never opened");
			return current;
		}

		/**
		 * The canonical name of the bean being created, or {@code null} before Spring has
		 * tagged the step.
		 * @return the canonical bean name, or {@code null}
		 */
		@Nullable String beanName() {
			String own = this.tagged ? this.beanName : null;
			if (own == null) {
				return null;
			}
			String transformed = BeanFactoryUtils.transformedBeanName(own);
			return (this.factory instanceof SimpleAliasRegistry aliases) ? aliases.canonicalName(transformed)
					: transformed;
		}

		boolean matches(String name) {
			String own = this.tagged ? this.beanName : null;
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
			return this.factory instanceof SimpleAliasRegistry aliases
					&& aliases.canonicalName(transformed).equals(name);
		}

		/**
		 * A resource created during this bean's creation, to be owned by it once the bean
		 * is initialized.
		 * @param resource the resource created during this bean's creation
		 * @param handler what to do with the pending resources if no bean claims them
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
				if (this.beanName != value) {
					this.beanName = value;
				}
				this.tagged = true;
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
				return; // already ended, or dropped when an enclosing step ended first
			}
			try {
				delegate().end();
			}
			finally {
				// Normally this frame is the innermost one; if a misbehaving caller left
				// inner frames open, they end too.
				this.frames.close(this.index);
			}
		}

		/** Ended: hands over what nobody claimed. */
		private void closed() {
			this.open = false;
			List<ManagedResource> unclaimed = takePending();
			PendingHandler handler = this.pendingHandler;
			this.pendingHandler = null;
			if (!unclaimed.isEmpty() && handler != null) {
				// The bean was never initialized (its creation failed) or was not seen:
				// nobody owns these yet.
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
	 * The bean factory's {@link ApplicationStartup}, wrapped to record the creation
	 * frames.
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
