package dev.disposables.benchmarks;

import java.util.concurrent.atomic.AtomicInteger;

import dev.disposables.spring.DisposalScope;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Scope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The WebFlux application of the exchange-latency benchmark: one endpoint per way of
 * getting and ending a per-exchange resource:
 * <ul>
 * <li>{@code /starter}: a prototype {@link SlowRequestResource} resolved from the
 * exchange's {@link DisposalScope} (a handler argument), disposed by the starter when the
 * exchange is over;</li>
 * <li>{@code /stock}: the same resource on stock Spring, closed in a hand-written
 * {@code doFinally} — blocking, on the event loop, as such code usually is;</li>
 * <li>{@code /starter-plain}: a {@link PlainRequestResource}, which needs no disposal,
 * resolved from the exchange's scope: what the scope costs by itself;</li>
 * <li>{@code /none}: a {@link PlainRequestResource} with no disposal.</li>
 * </ul>
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class WebFluxLatencyApplication {

	/**
	 * How many resources have been disposed; the benchmark checks the disposal really
	 * happened.
	 * @return the counter
	 */
	@Bean
	AtomicInteger disposedCounter() {
		return new AtomicInteger();
	}

	@Bean
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	SlowRequestResource slowRequestResource(@Value("${bench.disposal-ms:20}") long latencyMillis,
			AtomicInteger disposedCounter) {
		return new SlowRequestResource(latencyMillis, disposedCounter);
	}

	@Bean
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	PlainRequestResource plainRequestResource() {
		return new PlainRequestResource();
	}

	/**
	 * The endpoints; registered as a member class of this configuration.
	 */
	@RestController
	static class WorkController {

		private final ObjectProvider<SlowRequestResource> slow;

		private final ObjectProvider<PlainRequestResource> plain;

		WorkController(ObjectProvider<SlowRequestResource> slow, ObjectProvider<PlainRequestResource> plain) {
			this.slow = slow;
			this.plain = plain;
		}

		@GetMapping("/starter")
		Mono<String> starter(DisposalScope scope) {
			return Mono.just(scope.getBean(SlowRequestResource.class).work());
		}

		@GetMapping("/stock")
		Mono<String> stock() {
			SlowRequestResource resource = this.slow.getObject();
			return Mono.just(resource.work()).doFinally((signal) -> {
				try {
					resource.close();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		}

		@GetMapping("/starter-plain")
		Mono<String> starterPlain(DisposalScope scope) {
			return Mono.just(scope.getBean(PlainRequestResource.class).work());
		}

		@GetMapping("/none")
		Mono<String> none() {
			return Mono.just(this.plain.getObject().work());
		}

	}

}
