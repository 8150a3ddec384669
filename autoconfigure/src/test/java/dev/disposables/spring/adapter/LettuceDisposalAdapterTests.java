package dev.disposables.spring.adapter;

import java.time.Duration;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link LettuceDisposalAdapter} against real Lettuce clients and client resources. No
 * Redis server is needed: a connection attempt to a closed local port starts the client's
 * event loops, which must be gone afterwards.
 */
class LettuceDisposalAdapterTests {

	private final ApplicationContextRunner runner = AdapterTestSupport.runner()
		.withUserConfiguration(LettuceConfig.class);

	@Test
	void clientAndClientResourcesAreShutDownWithoutBlocking() {
		ClientResources[] resources = new ClientResources[2];
		this.runner.run((context) -> {
			AdapterTestSupport.assertAdapted(context, "lettuceClientResources", "lettuce");
			AdapterTestSupport.assertAdapted(context, "redisClient", "lettuce");
			RootBeanDefinition definition = (RootBeanDefinition) context.getBeanFactory()
				.getMergedBeanDefinition("lettuceClientResources");
			assertThat(definition.isExternallyManagedDestroyMethod("shutdown")).isTrue();
			RedisClient client = context.getBean(RedisClient.class);
			assertThatExceptionOfType(RedisConnectionException.class).isThrownBy(client::connect);
			resources[0] = context.getBean(ClientResources.class);
			resources[1] = client.getResources();
		});
		assertThat(resources[0].eventExecutorGroup().isTerminated()).isTrue();
		assertThat(resources[1].eventExecutorGroup().isTerminated()).isTrue();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(AdapterTestSupport.liveThreads("lettuce-")).isEmpty());
	}

	@Configuration(proxyBeanMethods = false)
	static class LettuceConfig {

		// As Spring Boot's Redis auto-configuration declares it.
		@Bean(destroyMethod = "shutdown")
		DefaultClientResources lettuceClientResources() {
			return DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
		}

		/**
		 * A client with resources of its own (not the bean above), connecting to a closed
		 * port.
		 */
		@Bean
		RedisClient redisClient() {
			return RedisClient.create(RedisURI.create("redis://127.0.0.1:1"));
		}

	}

}
