package dev.disposables.spring;

import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.disposables.spring.web.servlet.RequestScopeDisposalFilter;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.annotation.RequestScope;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.async.CallableProcessingInterceptor;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Another async interceptor fails in {@code beforeConcurrentHandling}, after the
 * starter's ran: async processing never starts, and the request's beans are disposed when
 * the request ends rather than held until shutdown.
 */
@SpringBootTest(classes = AsyncInterceptorFailureWebTests.App.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AsyncInterceptorFailureWebTests {

	static final Set<Integer> disposed = ConcurrentHashMap.newKeySet();

	static final AtomicInteger ids = new AtomicInteger();

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Test
	void requestBeansAreDisposedWhenAnotherInterceptorPreventsAsyncProcessing() throws Exception {
		HttpResponse<String> response = LocalHttp.get(this.port, "/callable");
		assertThat(response.statusCode()).isEqualTo(500);
		await().atMost(5, TimeUnit.SECONDS).until(() -> disposed.size() == 1);
	}

	@Test
	void theRequestFilterIsAShutdownParticipantBean() {
		assertThat(this.context.getBeansOfType(ShutdownParticipant.class).values())
			.hasAtLeastOneElementOfType(RequestScopeDisposalFilter.class)
			.hasAtLeastOneElementOfType(DisposalScopes.class);
	}

	@SpringBootApplication
	static class App implements WebMvcConfigurer {

		@Override
		public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
			configurer.registerCallableInterceptors(new CallableProcessingInterceptor() {

				@Override
				public <T> void beforeConcurrentHandling(NativeWebRequest request, Callable<T> task) {
					throw new IllegalStateException("refuses async processing");
				}

			});
		}

		@Bean
		@RequestScope
		RequestBean requestBean() {
			return new RequestBean();
		}

		@Bean
		Controller controller(RequestBean requestBean) {
			return new Controller(requestBean);
		}

	}

	@RestController
	static class Controller {

		private final RequestBean requestBean;

		Controller(RequestBean requestBean) {
			this.requestBean = requestBean;
		}

		@GetMapping("/callable")
		Callable<String> callable() {
			int id = this.requestBean.id();
			return () -> String.valueOf(id);
		}

	}

	static class RequestBean implements AutoCloseable {

		private final int id = ids.incrementAndGet();

		int id() {
			return this.id;
		}

		@Override
		public void close() {
			disposed.add(this.id);
		}

	}

}
