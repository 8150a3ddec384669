package dev.disposables.spring;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A resource that was garbage-collected without having been disposed, as kept by
 * {@link DisposableRegistry#recentLeaks()}. It carries names and strings only, never the
 * instance (which is gone anyway) nor anything that could keep it reachable.
 *
 * @param id the id the resource had in the registry
 * @param beanName name of the bean definition the instance was created from
 * @param type fully qualified class name of the instance
 * @param scope scope the instance was created in
 * @param detectedAt when the leak was detected (shortly after the garbage collector found
 * the instance unreachable)
 * @param allocationSite where the instance was allocated, starting at the first frame
 * outside Spring and this library, or {@code null} when leak detection did not record it
 * ({@code simple} level, or not sampled)
 */
public record LeakReport(long id, String beanName, String type, String scope, Instant detectedAt,
		@Nullable List<StackTraceElement> allocationSite) {

	public LeakReport {
		Objects.requireNonNull(beanName, "beanName");
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(scope, "scope");
		Objects.requireNonNull(detectedAt, "detectedAt");
		allocationSite = (allocationSite != null) ? List.copyOf(allocationSite) : null;
	}

	static LeakReport of(DisposableResource resource, Instant detectedAt) {
		StackTraceElement[] site = resource.allocationSite();
		return new LeakReport(resource.id(), resource.beanName(), resource.type(), resource.scope(), detectedAt,
				(site != null) ? List.of(site) : null);
	}

}
