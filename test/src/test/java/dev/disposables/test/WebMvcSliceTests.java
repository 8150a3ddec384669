package dev.disposables.test;

import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposalScopes;
import dev.disposables.test.TestSliceTests.Buffer;
import dev.disposables.test.TestSliceTests.ReportController;
import dev.disposables.test.TestSliceTests.RequestLog;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Scope;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.context.annotation.RequestScope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A {@code @WebMvcTest} slice with {@link AutoConfigureDisposables}: the request filter,
 * the scopes and the leak check work. Request-scoped beans are disposed after the
 * response, off the request thread: the grace period covers that.
 */
@WebMvcTest
@AutoConfigureDisposables
@DisposablesLeakCheck
class WebMvcSliceTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	DisposableRegistry registry;

	@Test
	void requestAndScopeResourcesAreDisposed() throws Exception {
		this.mvc.perform(get("/report")).andExpect(status().isOk());
		this.mvc.perform(get("/report")).andExpect(status().isOk());
	}

	@Test
	void hasTheDisposablesInfrastructure(@Autowired ApplicationContext context) {
		assertThat(context.getBeanProvider(DisposalScopes.class).getIfAvailable()).isNotNull();
		assertThat(context.getBeanNamesForType(DisposableRegistry.class)).hasSize(1);
	}

	@Configuration(proxyBeanMethods = false)
	@Import(ReportController.class)
	static class Config {

		@Bean
		@RequestScope
		RequestLog requestLog() {
			return new RequestLog();
		}

		@Bean
		@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		Buffer buffer() {
			return new Buffer();
		}

	}

}
