package dev.disposables.benchmarks;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.disposables.spring.DisposalScope;
import dev.disposables.spring.DisposalScopes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.config.BeanDefinitionHolder;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.SimpleThreadScope;
import org.springframework.web.context.request.AbstractRequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.RequestScope;

/**
 * A method call on a scoped proxy whose target already exists in its scope: every call
 * goes through {@code getBean} of the scoped target, which opens and ends a
 * {@code spring.beans.instantiate} startup step even though nothing is created. Stock
 * Spring against the starter, with the same proxy:
 * <ul>
 * <li>{@code stock-request} / {@code starter-request}: a request-scoped bean (a request
 * bound to the benchmark thread, as a servlet request would be);</li>
 * <li>{@code starter-disposal}: a {@code @DisposalScoped} bean in an open
 * {@code DisposalScope}; stock Spring has no such scope, so {@code stock-thread} is the
 * nearest reference: the same proxy over Spring's {@link SimpleThreadScope}.</li>
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ScopedProxy
 * </pre>
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class ScopedProxyBenchmark extends NanosecondsBenchmark {

	static final String BEAN_NAME = "scopedWork";

	/** Which scope and which side: stock Spring or the starter. */
	@Param({ "stock-request", "starter-request", "stock-thread", "starter-disposal" })
	public String config;

	private ConfigurableApplicationContext context;

	private ScopedWork proxy;

	private DisposalScope scope;

	@Setup(Level.Trial)
	public void start() {
		String[] parts = this.config.split("-", 2);
		boolean starter = "starter".equals(parts[0]);
		String scopeName = parts[1];
		this.context = start(starter, scopeName);
		if ("request".equals(scopeName)) {
			RequestContextHolder.setRequestAttributes(new MapRequestAttributes());
		}
		if ("disposal".equals(scopeName)) {
			this.scope = this.context.getBean(DisposalScopes.class).open();
		}
		this.proxy = this.context.getBean(BEAN_NAME, ScopedWork.class);
		this.proxy.call(); // the target now exists in its scope: only the lookups are
							// measured
	}

	static ConfigurableApplicationContext start(boolean starter, String scopeName) {
		return Apps.start(starter, Map.of(), (context) -> {
			if ("request".equals(scopeName)) {
				context.getBeanFactory().registerScope("request", new RequestScope()); // not
																						// a
																						// web
																						// application
			}
			if ("thread".equals(scopeName)) {
				context.getBeanFactory().registerScope("thread", new SimpleThreadScope());
			}
			RootBeanDefinition target = new RootBeanDefinition(ScopedWork.class);
			target.setScope(scopeName);
			BeanDefinitionHolder proxy = ScopedProxyUtils.createScopedProxy(new BeanDefinitionHolder(target, BEAN_NAME),
					context, true);
			context.registerBeanDefinition(proxy.getBeanName(), proxy.getBeanDefinition());
		});
	}

	@TearDown(Level.Trial)
	public void stop() throws Exception {
		if (this.scope != null) {
			this.scope.close();
		}
		RequestContextHolder.resetRequestAttributes();
		this.context.close();
	}

	@Benchmark
	public int call() {
		return this.proxy.call();
	}

	/**
	 * A request's attributes without a servlet container: what the request scope reads on
	 * each call.
	 */
	static final class MapRequestAttributes extends AbstractRequestAttributes {

		private final Map<String, Object> attributes = new ConcurrentHashMap<>();

		@Override
		public Object getAttribute(String name, int scope) {
			return this.attributes.get(name);
		}

		@Override
		public void setAttribute(String name, Object value, int scope) {
			this.attributes.put(name, value);
		}

		@Override
		public void removeAttribute(String name, int scope) {
			this.attributes.remove(name);
		}

		@Override
		public String[] getAttributeNames(int scope) {
			return this.attributes.keySet().toArray(new String[0]);
		}

		@Override
		public void registerDestructionCallback(String name, Runnable callback, int scope) {
			registerRequestDestructionCallback(name, callback);
		}

		@Override
		public Object resolveReference(String key) {
			return null;
		}

		@Override
		public String getSessionId() {
			return "benchmark";
		}

		@Override
		public Object getSessionMutex() {
			return this;
		}

		@Override
		protected void updateAccessedSessionAttributes() {
		}

	}

}
