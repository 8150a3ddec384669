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
 * so a step must cost next to nothing. A step costs one thread-local read, one young
 * allocation (the frame) and one reference store into the thread's long-lived
 * {@link Frames}; ending it stores the enclosing frame back, which for a top-level
 * {@code getBean} (a proxy call from application code) is {@code null}. Reusing frames
 * would save the allocation but cost more: with G1, each reference stored into a
 * long-lived object pays a write barrier with a memory fence, and a reused frame is
 * long-lived (measured: about 20 ns more per proxy call, see
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
	 * The frame of the bean being created that encloses a bean that has just been
	 * initialized: its owner, if it is a prototype injected into it.
	 * @param own the frame of the bean itself, if it has one
	 */
	static @Nullable Frame enclosing(BeanFactory factory, @Nullable Frame own) {
		Frame frame = (own != null) ? own.parent : frames.get().top;
		return (frame != null && frame.factory == factory) ? frame : null;
	}

	/**
	 * The frames of one thread: the innermost open one (each links to the one enclosing
	 * it). Only its own thread touches it; held in a field rather than set in the
	 * thread-local itself, which would look the entry up again.
	 */
	private static final class Frames {

		private @Nullable Frame top;

		Frame open(StartupStep delegate, BeanFactory factory) {
			Frame frame = new Frame(delegate, factory, this.top, this);
			this.top = frame;
			return frame;
		}

	}

	/**
	 * One bean creation in progress ({@code getBean} that is not a cached singleton).
	 */
	static final class Frame implements StartupStep {

		private final StartupStep delegate;

		private final BeanFactory factory;

		private final @Nullable Frame parent;

		private final Frames frames;

		private @Nullable String beanName;

		private boolean claimed;

		private @Nullable List<ManagedResource> pending;

		private @Nullable PendingHandler pendingHandler;

		Frame(StartupStep delegate, BeanFactory factory, @Nullable Frame parent, Frames frames) {
			this.delegate = delegate;
			this.factory = factory;
			this.parent = parent;
			this.frames = frames;
		}

		private StartupStep delegate() {
			return this.delegate;
		}

		/**
		 * The canonical name of the bean being created, or {@code null} before Spring has
		 * tagged the step.
		 */
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
			return this.factory instanceof SimpleAliasRegistry aliases
					&& aliases.canonicalName(transformed).equals(name);
		}

		/**
		 * A resource created during this bean's creation, to be owned by it once the bean
		 * is initialized.
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
			try {
				delegate().end();
			}
			finally {
				pop();
			}
		}

		private void pop() {
			Frames owner = this.frames;
			Frame current = owner.top;
			// Normally this frame is the innermost one; if a misbehaving caller left
			// inner frames open, drop them too.
			while (current != null && current != this) {
				current = current.parent;
			}
			if (current == this) {
				owner.top = this.parent;
			}
			List<ManagedResource> unclaimed = takePending();
			PendingHandler handler = this.pendingHandler;
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
