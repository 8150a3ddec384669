package dev.disposables.spring.adapter;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.boot.autoconfigure.DisposalAdaptersAutoConfiguration;
import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposableResource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the adapter tests share: the starter with its built-in adapters, and helpers over
 * the registry.
 */
final class AdapterTestSupport {

	private AdapterTestSupport() {
	}

	static ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(
				AutoConfigurations.of(DisposablesAutoConfiguration.class, DisposalAdaptersAutoConfiguration.class));
	}

	/** Asserts the bean is managed by the named adapter. */
	static DisposableResource assertAdapted(ApplicationContext context, String beanName, String adapter) {
		List<DisposableResource> resources = context.getBean(DisposableRegistry.class).resources();
		DisposableResource resource = resources.stream()
			.filter((candidate) -> candidate.beanName().equals(beanName))
			.findFirst()
			.orElseThrow(() -> new AssertionError("Bean '" + beanName + "' is not managed"));
		assertThat(resource.adapter()).isEqualTo(adapter);
		return resource;
	}

	/** Names of the live threads whose name starts with one of the prefixes. */
	static Set<String> liveThreads(String... prefixes) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> {
				for (String prefix : prefixes) {
					if (name.startsWith(prefix)) {
						return true;
					}
				}
				return false;
			})
			.collect(Collectors.toSet());
	}

}
