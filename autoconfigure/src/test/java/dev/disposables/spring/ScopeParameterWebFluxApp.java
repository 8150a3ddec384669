package dev.disposables.spring;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Scope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A WebFlux application whose handler takes a {@link DisposalScope} parameter and
 * resolves a prototype resource in it: the off switches must leave it answering, and the
 * resource disposed when the exchange is over.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class ScopeParameterWebFluxApp {

	static final AtomicInteger ids = new AtomicInteger();

	static final Set<Integer> closed = ConcurrentHashMap.newKeySet();

	@Bean
	@Scope("prototype")
	ExchangeResource exchangeResource() {
		return new ExchangeResource(ids.incrementAndGet());
	}

	/** Registered as a member class of this configuration. */
	@RestController
	static class Handler {

		@GetMapping("/resource")
		Mono<String> resource(DisposalScope scope) {
			return Mono.just(String.valueOf(scope.getBean(ExchangeResource.class).id));
		}

	}

	static class ExchangeResource implements AutoCloseable {

		final int id;

		ExchangeResource(int id) {
			this.id = id;
		}

		@Override
		public void close() {
			closed.add(this.id);
		}

	}

}
