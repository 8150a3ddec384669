package dev.disposables.boot.actuate;

import dev.disposables.boot.actuate.DisposablesObservations.DisposalContext;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;

import org.springframework.core.Ordered;

/**
 * The meter handler of a disposal's observation, which makes no meter: the disposal is
 * already timed by the {@code disposables.disposal} timer of {@link DisposablesMetrics}.
 *
 * <p>
 * Spring Boot registers its meter observation handlers as one first-matching group, in
 * order: this handler comes first and handles only a {@link DisposalContext}, so that
 * Micrometer's {@link DefaultMeterObservationHandler} (which would register a second,
 * undocumented timer of the same disposal, and a long task timer) never sees a disposal,
 * while every other observation reaches it as before. Tracing handlers are another group:
 * the disposal's span is unaffected.
 *
 * @since 0.2.0
 */
public class DisposalMeterHandler implements MeterObservationHandler<DisposalContext>, Ordered {

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof DisposalContext;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
