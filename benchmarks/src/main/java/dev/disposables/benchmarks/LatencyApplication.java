package dev.disposables.benchmarks;

import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.annotation.RequestScope;

/**
 * The web application of the request-latency benchmark: one endpoint that uses a
 * request-scoped bean, which is a {@link SlowRequestResource} when
 * {@code bench.disposal=true} and a {@link PlainRequestResource} otherwise.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class LatencyApplication {

	/**
	 * How many request-scoped resources have been disposed; the benchmark checks the
	 * disposal really happened.
	 * @return the counter
	 */
	@Bean
	AtomicInteger disposedCounter() {
		return new AtomicInteger();
	}

	// The concrete return type matters: the starter decides from the bean definition's
	// type whether a bean is
	// disposable, and an interface return type would hide close().
	@Bean
	@RequestScope
	@ConditionalOnBooleanProperty("bench.disposal")
	SlowRequestResource slowRequestResource(@Value("${bench.disposal-ms:20}") long latencyMillis,
			AtomicInteger disposedCounter) {
		return new SlowRequestResource(latencyMillis, disposedCounter);
	}

	@Bean
	@RequestScope
	@ConditionalOnBooleanProperty(name = "bench.disposal", havingValue = false)
	PlainRequestResource plainRequestResource() {
		return new PlainRequestResource();
	}

	/**
	 * The endpoint; registered as a member class of this configuration.
	 */
	@RestController
	static class WorkController {

		private final RequestWork requestWork;

		WorkController(RequestWork requestWork) {
			this.requestWork = requestWork;
		}

		@GetMapping("/work")
		String work() {
			return this.requestWork.work();
		}

	}

}
