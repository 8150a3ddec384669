package dev.disposables.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resources abandoned (at their timeout or the deadline) while their disposer was still
 * running on a disposal thread, kept to name the threads that stay stuck in the
 * shutdown's report.
 */
final class AbandonedDisposals {

	private final Set<ManagedResource> abandoned = ConcurrentHashMap.newKeySet();

	/**
	 * Remembers a resource whose abandoned disposal still runs.
	 * @param resource the resource
	 */
	void add(ManagedResource resource) {
		this.abandoned.add(resource);
	}

	/**
	 * The disposals abandoned while their user code still runs on a disposal thread: bean
	 * name, type and thread name, for the shutdown's report. Interrupted disposers get a
	 * short grace to return first, so that only those that ignore interrupts are named.
	 * @param grace how long to give interrupted disposers
	 * @return one description per stuck disposal, empty if there is none
	 */
	List<String> stuck(Duration grace) {
		long until = System.nanoTime() + grace.toNanos();
		while (true) {
			this.abandoned.removeIf((resource) -> {
				DisposalAttempt attempt = resource.attempt();
				return attempt == null || !attempt.isStuck();
			});
			if (this.abandoned.isEmpty() || System.nanoTime() >= until) {
				break;
			}
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		List<String> stuck = new ArrayList<>();
		for (ManagedResource resource : this.abandoned) {
			DisposalAttempt attempt = resource.attempt();
			String thread = (attempt != null) ? attempt.stuckThreadNameNow() : null;
			if (thread != null) {
				stuck.add("bean '" + resource.beanName() + "' (" + resource.type() + ") on thread '" + thread + "'");
			}
		}
		return stuck;
	}

}
