package dev.disposables.spring;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * One resource's disposal as the shutdown timed it: a link of
 * {@link ShutdownReport#criticalPath() the critical path} or one of
 * {@link ShutdownReport#slowest() the slowest disposals}. Names and types only, never the
 * instance.
 *
 * @param id the resource's id in its registry (as listed by the {@code disposables}
 * endpoint and its graph)
 * @param beanName the bean definition the instance was created from
 * @param type the instance's class name
 * @param scope the scope it was created in
 * @param mode how it was disposed
 * @param outcome how its disposal ended: {@link ResourceState#DISPOSED},
 * {@link ResourceState#FAILED} or {@link ResourceState#TIMED_OUT} (still running when the
 * shutdown ended, or abandoned)
 * @param startedAt when its disposal started, from the start of the shutdown
 * @param duration how long its disposal took, from its start to its end (or to the end of
 * the shutdown, if it never ended)
 * @param waitedFor the bean it waited for: the last of the resources it had to wait for
 * to finish, or {@code null} when it waited for none (it started as soon as the disposal
 * graph did)
 * @since 0.2.0
 */
public record DisposalTiming(long id, String beanName, String type, String scope, DisposalMode mode,
		ResourceState outcome, Duration startedAt, Duration duration, @Nullable String waitedFor) {

	/**
	 * When its disposal ended, from the start of the shutdown.
	 * @return {@code startedAt + duration}
	 */
	public Duration endedAt() {
		return this.startedAt.plus(this.duration);
	}

	/**
	 * A one-line description for logs: bean name, type, scope, mode, start, duration, and
	 * what it waited for.
	 * @return the description
	 */
	public String describe() {
		StringBuilder text = new StringBuilder();
		text.append('\'')
			.append(this.beanName)
			.append("' (")
			.append(this.type)
			.append(", ")
			.append(this.scope)
			.append(", ")
			.append(this.mode.name().toLowerCase(java.util.Locale.ROOT))
			.append(") +")
			.append(this.startedAt.toMillis())
			.append(" ms, took ")
			.append(this.duration.toMillis())
			.append(" ms");
		if (this.outcome != ResourceState.DISPOSED) {
			text.append(", ").append(this.outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
		}
		if (this.waitedFor != null) {
			text.append(", after '").append(this.waitedFor).append('\'');
		}
		return text.toString();
	}

}
