package dev.disposables.boot.autoconfigure;

import dev.disposables.spring.DisposalAdapter;
import dev.disposables.spring.adapter.CassandraDisposalAdapter;
import dev.disposables.spring.adapter.GrpcDisposalAdapter;
import dev.disposables.spring.adapter.HttpClient5DisposalAdapter;
import dev.disposables.spring.adapter.LettuceDisposalAdapter;
import dev.disposables.spring.adapter.NettyDisposalAdapter;
import dev.disposables.spring.adapter.OkHttpDisposalAdapter;
import dev.disposables.spring.adapter.R2dbcDisposalAdapter;
import dev.disposables.spring.adapter.ReactorDisposalAdapter;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

/**
 * Auto-configuration of the built-in {@link DisposalAdapter}s: one per library, each when
 * that library is on the class path and {@code disposables.adapters.<name>.enabled} is
 * not {@code false}.
 *
 * <p>
 * The adapters are looked up by the starter's post-processor the first time it plans a
 * bean, possibly before most beans exist: every one is a {@code static} infrastructure
 * bean without dependencies on application beans. Each adapter class is referenced only
 * from its own configuration, so it is loaded only when its library is present.
 *
 * @since 0.2.0
 */
@AutoConfiguration(before = DisposablesAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "disposables.enabled", matchIfMissing = true)
public final class DisposalAdaptersAutoConfiguration {

	private static final String PREFIX = "disposables.adapters.";

	private DisposalAdaptersAutoConfiguration() {
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.netty.util.concurrent.EventExecutorGroup")
	@ConditionalOnBooleanProperty(name = PREFIX + "netty.enabled", matchIfMissing = true)
	static final class NettyAdapterConfiguration {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
		static NettyDisposalAdapter nettyDisposalAdapter(DisposablesProperties properties) {
			return new NettyDisposalAdapter(properties.getAdapters().getNetty().getQuietPeriod());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "io.r2dbc.spi.ConnectionFactory", "org.reactivestreams.Publisher" })
	@ConditionalOnBooleanProperty(name = PREFIX + "r2dbc.enabled", matchIfMissing = true)
	static final class R2dbcAdapterConfiguration {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
		static R2dbcDisposalAdapter r2dbcDisposalAdapter() {
			return new R2dbcDisposalAdapter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "io.lettuce.core.AbstractRedisClient", "io.netty.util.concurrent.Future" })
	@ConditionalOnBooleanProperty(name = PREFIX + "lettuce.enabled", matchIfMissing = true)
	static final class LettuceAdapterConfiguration {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
		static LettuceDisposalAdapter lettuceDisposalAdapter() {
			return new LettuceDisposalAdapter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.grpc.ManagedChannel")
	@ConditionalOnBooleanProperty(name = PREFIX + "grpc.enabled", matchIfMissing = true)
	static final class GrpcAdapterConfiguration {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
		static GrpcDisposalAdapter grpcDisposalAdapter() {
			return new GrpcDisposalAdapter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "reactor.core.scheduler.Scheduler")
	@ConditionalOnBooleanProperty(name = PREFIX + "reactor.enabled", matchIfMissing = true)
	static final class ReactorAdapterConfiguration {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
		static ReactorDisposalAdapter reactorDisposalAdapter() {
			return new ReactorDisposalAdapter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient")
	@ConditionalOnBooleanProperty(name = PREFIX + "httpclient5.enabled", matchIfMissing = true)
	static final class HttpClient5AdapterConfiguration {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
		static HttpClient5DisposalAdapter httpClient5DisposalAdapter() {
			return new HttpClient5DisposalAdapter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "com.datastax.oss.driver.api.core.session.Session")
	@ConditionalOnBooleanProperty(name = PREFIX + "cassandra.enabled", matchIfMissing = true)
	static final class CassandraAdapterConfiguration {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
		static CassandraDisposalAdapter cassandraDisposalAdapter() {
			return new CassandraDisposalAdapter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "okhttp3.OkHttpClient")
	@ConditionalOnBooleanProperty(name = PREFIX + "okhttp.enabled", matchIfMissing = true)
	static final class OkHttpAdapterConfiguration {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
		static OkHttpDisposalAdapter okHttpDisposalAdapter() {
			return new OkHttpDisposalAdapter();
		}

	}

}
