package dev.disposables.spring;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Logs a leak at WARN once per bean name and allocation site: a loop that drops the same
 * prototype a million times logs one line, while the same bean leaked from two places in
 * the code logs both places.
 */
final class LeakLog {

	private static final Log logger = LogFactory.getLog(DisposableRegistry.class);

	/**
	 * Past that many distinct sites (recursion, generated code), leaks are de-duplicated
	 * by bean name only.
	 */
	private static final int MAX_KEYS = 4096;

	private final Set<Key> logged = ConcurrentHashMap.newKeySet();

	/**
	 * Logs a leak, unless one of the same bean and allocation site was logged already.
	 * @param report the leak
	 * @param omittedFrames how many frames of its allocation site were left out
	 */
	void logOnce(LeakReport report, int omittedFrames) {
		List<StackTraceElement> site = report.allocationSite();
		Key key = new Key(report.beanName(), (this.logged.size() < MAX_KEYS) ? site : null);
		if (!this.logged.add(key)) {
			return;
		}
		StringBuilder message = new StringBuilder("Leak: an instance of bean '").append(report.beanName())
			.append("' (")
			.append(report.type())
			.append(", scope ")
			.append(report.scope())
			.append(") was garbage-collected without being disposed. Dispose it, or obtain it through a ")
			.append("DisposalScope. Further leaks of this bean");
		if (site != null) {
			message.append(" from this allocation site are counted but not logged. Allocated at:");
			for (StackTraceElement frame : site) {
				message.append(System.lineSeparator()).append("\tat ").append(frame);
			}
			if (omittedFrames > 0) {
				message.append(System.lineSeparator())
					.append("\t(")
					.append(omittedFrames)
					.append(" more frames omitted: the JDK's and the frameworks', and the application's ")
					.append("past the first ")
					.append(AllocationSites.MAX_FRAMES)
					.append(")");
			}
		}
		else {
			message.append(" are counted but not logged. Set disposables.leak-detection.level=advanced (sampled) ")
				.append("or paranoid to record where leaked instances are allocated.");
		}
		logger.warn(message);
	}

	private record Key(String beanName, @Nullable List<StackTraceElement> allocationSite) {
	}

}
