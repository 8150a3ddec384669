package dev.disposables.test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;

import dev.disposables.spring.DisposableResource;
import dev.disposables.spring.LeakReport;
import org.jspecify.annotations.Nullable;

/**
 * How failures describe resources: id, bean name, type, scope, state and allocation site.
 * Never an instance's {@code toString()}: the registry does not even hand out instances.
 */
final class Descriptions {

	/** How many offending resources a failure message lists. */
	static final int LISTED = 20;

	private static final String NEW_LINE = System.lineSeparator();

	private Descriptions() {
	}

	/**
	 * One line per resource, with the first frame of its allocation site when recorded,
	 * then a count of the rest.
	 * @param resources the resources, the first {@link #LISTED} of them listed
	 * @param total how many there are in all
	 * @param siteFrames how many frames of each allocation site to show
	 * @return the listing, one line per resource
	 */
	static String resources(List<? extends DisposableResource> resources, long total, int siteFrames) {
		Instant now = Instant.now();
		return lines(resources, total, (description, resource) -> {
			description.append("  - #")
				.append(resource.id())
				.append(" bean '")
				.append(resource.beanName())
				.append("' (")
				.append(resource.type())
				.append(", scope ")
				.append(resource.scope())
				.append(") ")
				.append(resource.state());
			if (!resource.state().isTerminal()) {
				description.append(" for ")
					.append(Duration.between(resource.createdAt(), now).toMillis())
					.append(" ms");
			}
			site(description, resource.allocationSite(), siteFrames);
		});
	}

	/**
	 * One line per leak, with the first frame of its allocation site when recorded, then
	 * a count of the rest.
	 * @param leaks the leak reports, the first {@link #LISTED} of them listed
	 * @param total how many there are in all
	 * @return the listing, one line per leak
	 */
	static String leaks(List<LeakReport> leaks, long total) {
		return lines(leaks, total, (description, leak) -> {
			description.append("  - bean '")
				.append(leak.beanName())
				.append("' (")
				.append(leak.type())
				.append(", scope ")
				.append(leak.scope())
				.append(") detected at ")
				.append(leak.detectedAt());
			List<StackTraceElement> site = leak.allocationSite();
			site(description, (site != null) ? site.toArray(new StackTraceElement[0]) : null, 1);
		});
	}

	/**
	 * One line per item, at most {@link #LISTED}, then a count of the rest.
	 * @param <T> the type of item
	 * @param items the items
	 * @param total how many there are in all
	 * @param line appends an item's line, without its line separator
	 * @return the listing
	 */
	private static <T> String lines(List<? extends T> items, long total, BiConsumer<StringBuilder, T> line) {
		StringBuilder description = new StringBuilder();
		int listed = 0;
		for (T item : items) {
			if (listed == LISTED) {
				break;
			}
			listed++;
			line.accept(description, item);
			description.append(NEW_LINE);
		}
		if (total > listed) {
			description.append("  ... and ").append(total - listed).append(" more").append(NEW_LINE);
		}
		return description.toString();
	}

	/**
	 * The first frame inline, then up to {@code frames - 1} more of the application's own
	 * frames, each on a line of its own; or a hint when the site was not recorded
	 * ({@code frames > 1} only: a short listing stays short).
	 * @param description where to append
	 * @param site the allocation site, if recorded
	 * @param frames how many frames to show at most
	 */
	private static void site(StringBuilder description, StackTraceElement @Nullable [] site, int frames) {
		if (site == null || site.length == 0) {
			if (frames > 1) {
				description.append(", allocation site not recorded (disposables.leak-detection.level=paranoid "
						+ "records every one)");
			}
			return;
		}
		description.append(", allocated at ").append(site[0]);
		int shown = 1;
		for (int i = 1; i < site.length && shown < frames; i++) {
			String className = site[i].getClassName();
			if (isTestRunner(className)) {
				break; // what called the test method says nothing about the test
			}
			if (!isFramework(className)) {
				description.append(NEW_LINE).append("        at ").append(site[i]);
				shown++;
			}
		}
	}

	private static boolean isTestRunner(String className) {
		return className.startsWith("org.junit.") || className.startsWith("org.apache.maven.surefire.");
	}

	/**
	 * Frames between two of the application's own: Spring, Disposables, reflection, the
	 * servlet container.
	 * @param className the frame's class
	 * @return whether the frame belongs to one of them
	 */
	private static boolean isFramework(String className) {
		return className.startsWith("org.springframework.") || className.startsWith("dev.disposables.spring.")
				|| className.startsWith("dev.disposables.boot.") || className.startsWith("java.lang.reflect.")
				|| className.startsWith("jdk.internal.") || className.startsWith("sun.reflect.")
				|| className.startsWith("jakarta.servlet.") || className.startsWith("org.apache.catalina.")
				|| className.startsWith("org.apache.tomcat.") || className.startsWith("org.apache.coyote.");
	}

}
