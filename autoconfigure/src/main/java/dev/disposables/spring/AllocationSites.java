package dev.disposables.spring;

import java.lang.reflect.Proxy;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Captures where a resource is allocated, for leak reports: the application's frames
 * only, starting at the caller of {@code getBean} (or of whatever created the bean).
 * Frames of this library, of Spring, of reflection and of the server that runs the
 * application say nothing about the leak: they are dropped wherever they are, and
 * counted.
 *
 * <p>
 * {@link StackWalker} is used rather than a {@code Throwable}: it materializes only the
 * frames kept, which matters at the {@code paranoid} level where every instance is
 * captured.
 */
final class AllocationSites {

	/**
	 * How many of the application's frames are kept: enough to see the caller's call
	 * path; the framework frames around them say nothing about the leak.
	 */
	static final int MAX_FRAMES = 10;

	/**
	 * How deep a stack is walked at most: a servlet container, a filter chain and Spring
	 * MVC take about a hundred frames below the application's.
	 */
	private static final int MAX_WALKED = 256;

	/**
	 * Packages of the JDK and of frameworks that run the application rather than being
	 * it.
	 */
	private static final String[] FRAMEWORK_PACKAGES = { "java.", "javax.", "jdk.", "sun.", "com.sun.",
			"org.springframework.", "jakarta.servlet.", "org.apache.catalina.", "org.apache.coyote.",
			"org.apache.tomcat.", "org.eclipse.jetty.", "io.undertow.", "io.netty.", "reactor.", "io.micrometer.",
			"org.junit.", "org.apache.maven.surefire.", "org.gradle." };

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
	 * The application's frames of the current stack, innermost first: framework frames
	 * (Spring, reflection, the servlet container, this library...) are left out wherever
	 * they are, and at most {@link #MAX_FRAMES} are kept.
	 * @return the frames kept and how many were left out
	 */
	static Site capture() {
		Site site = WALKER.walk((frames) -> {
			List<StackTraceElement> kept = new ArrayList<>(MAX_FRAMES);
			int omitted = 0;
			Iterator<StackWalker.StackFrame> walked = frames.limit(MAX_WALKED)
				.dropWhile((frame) -> INTERNAL.get(frame.getDeclaringClass()))
				.iterator();
			while (walked.hasNext()) {
				StackWalker.StackFrame frame = walked.next();
				if (kept.size() < MAX_FRAMES && !INTERNAL.get(frame.getDeclaringClass())) {
					kept.add(frame.toStackTraceElement());
				}
				else {
					omitted++;
				}
			}
			return new Site(kept.toArray(StackTraceElement[]::new), omitted);
		});
		if (site.frames().length > 0) {
			return site;
		}
		return new Site(WALKER.walk((frames) -> frames.skip(1)
			.limit(MAX_FRAMES)
			.map(StackWalker.StackFrame::toStackTraceElement)
			.toArray(StackTraceElement[]::new)), 0);
	}

	private static boolean isInternal(Class<?> type) {
		if (Proxy.isProxyClass(type) || type.getName().contains("$$SpringCGLIB$$")) {
			// a proxy's frame sits between the caller and the proxied bean factory or
			// provider
			return true;
		}
		String name = type.getName();
		for (String prefix : FRAMEWORK_PACKAGES) {
			if (name.startsWith(prefix)) {
				return true;
			}
		}
		// This library's own classes, recognized by where they were loaded from rather
		// than by package, so that an application (or a test) in a package of the same
		// name is still shown.
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

	/**
	 * Where a resource was allocated.
	 *
	 * @param frames the application's frames, innermost first
	 * @param omitted how many frames below the first of them were left out (framework
	 * frames, and those past {@link #MAX_FRAMES})
	 */
	record Site(StackTraceElement[] frames, int omitted) {
	}

}
