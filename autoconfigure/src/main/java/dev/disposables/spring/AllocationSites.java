package dev.disposables.spring;

import java.lang.reflect.Proxy;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Captures where a resource is allocated, for leak reports. The stack starts at the first
 * frame of the caller of {@code getBean} (or of whatever created the bean): frames of
 * this library, of Spring and of reflection come first in every capture and say nothing
 * about the leak, so they are dropped.
 *
 * <p>
 * {@link StackWalker} is used rather than a {@code Throwable}: it materializes only the
 * frames kept, which matters at the {@code paranoid} level where every instance is
 * captured.
 */
final class AllocationSites {

	/**
	 * Enough to see the caller's call path; deeper frames are mostly the framework that
	 * runs the application.
	 */
	static final int MAX_FRAMES = 32;

	private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

	private static final @Nullable CodeSource ENGINE = codeSource(AllocationSites.class);

	private static final ClassValue<Boolean> INTERNAL = new ClassValue<>() {

		@Override
		protected Boolean computeValue(Class<?> type) {
			return isInternal(type);
		}

	};

	private AllocationSites() {
	}

	/**
	 * The current stack, from the first frame outside Spring and this library.
	 * @return the frames, or the whole (bounded) stack if every frame is internal
	 */
	static StackTraceElement[] capture() {
		StackTraceElement[] user = WALKER
			.walk((frames) -> frames.dropWhile((frame) -> INTERNAL.get(frame.getDeclaringClass()))
				.limit(MAX_FRAMES)
				.map(StackWalker.StackFrame::toStackTraceElement)
				.toArray(StackTraceElement[]::new));
		if (user.length > 0) {
			return user;
		}
		return WALKER.walk((frames) -> frames.skip(1)
			.limit(MAX_FRAMES)
			.map(StackWalker.StackFrame::toStackTraceElement)
			.toArray(StackTraceElement[]::new));
	}

	private static boolean isInternal(Class<?> type) {
		if (Proxy.isProxyClass(type)) {
			return true; // a JDK proxy's frame sits between the caller and the proxied
							// bean factory or provider
		}
		String name = type.getName();
		if (name.startsWith("org.springframework.") || name.startsWith("java.lang.reflect.")
				|| name.startsWith("jdk.internal.") || name.startsWith("sun.reflect.")) {
			return true;
		}
		// This library's own classes, recognized by where they were loaded from rather
		// than by package, so that
		// an application (or a test) in a package of the same name is still shown.
		return ENGINE != null && type.getName().startsWith("dev.disposables.")
				&& Objects.equals(ENGINE.getLocation(), location(type));
	}

	private static @Nullable Object location(Class<?> type) {
		CodeSource source = codeSource(type);
		return (source != null) ? source.getLocation() : null;
	}

	private static @Nullable CodeSource codeSource(Class<?> type) {
		ProtectionDomain domain = type.getProtectionDomain();
		return (domain != null) ? domain.getCodeSource() : null;
	}

}
