package dev.disposables.boot.actuate;

import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.disposables.boot.actuate.DisposablesEndpoint.DisposableResourceDescriptor;
import dev.disposables.boot.actuate.DisposablesEndpoint.DisposablesDescriptor;
import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.DisposalMode;
import dev.disposables.spring.ResourceState;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The endpoint's operations, without HTTP.
 */
class DisposablesEndpointTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DisposablesAutoConfiguration.class))
		.withUserConfiguration(TestResources.class)
		.withPropertyValues("disposables.prototypes.tracking=strong", "disposables.leak-detection.level=paranoid");

	@Test
	void describesSummaryResourcesAndLeaksWithoutPrintingInstances() {
		this.runner.run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			context.getBean("connection");
			context.getBean("asyncChannel");
			registry.dispose(context.getBean("connection")).toCompletableFuture().join();
			DisposablesEndpoint endpoint = new DisposablesEndpoint(registry, Show.NEVER);
			// The counters are updated a moment after a disposal's stage completes.
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				DisposablesDescriptor current = endpoint.disposables(null, null, null);
				assertThat(current.summary()).containsKey("prototype");
				assertThat(current.summary().get("prototype").live()).isEqualTo(2);
				assertThat(current.summary().get("prototype").disposed()).isEqualTo(1);
				assertThat(current.open()).isEqualTo(2);
			});
			DisposablesDescriptor descriptor = endpoint.disposables(null, null, null);
			assertThat(descriptor.resources()).hasSize(2);
			DisposableResourceDescriptor first = descriptor.resources().get(0);
			assertThat(first.beanName()).isEqualTo("connection");
			assertThat(first.type()).isEqualTo(TestResources.Connection.class.getName());
			assertThat(first.scope()).isEqualTo("prototype");
			assertThat(first.state()).isEqualTo(ResourceState.LIVE);
			assertThat(first.mode()).isEqualTo(DisposalMode.SYNC);
			assertThat(first.createdAt()).isNotNull();
			assertThat(first.age()).isGreaterThanOrEqualTo(Duration.ZERO);
			assertThat(first.allocationSite()).isNull();
			assertThat(descriptor.resources().get(1).mode()).isEqualTo(DisposalMode.ASYNC);
			assertThat(descriptor.resources().get(1).id()).isGreaterThan(first.id());
		});
	}

	@Test
	void filtersByScopeAndStateAndLimits() {
		this.runner.run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			for (int i = 0; i < 10; i++) {
				context.getBean("connection");
			}
			DisposablesEndpoint endpoint = new DisposablesEndpoint(registry, Show.NEVER);
			DisposablesDescriptor limited = endpoint.disposables("prototype", "live", 3);
			assertThat(limited.resources()).hasSize(3);
			assertThat(limited.open()).isEqualTo(10);
			List<Long> allIds = endpoint.disposables(null, null, null)
				.resources()
				.stream()
				.map(DisposableResourceDescriptor::id)
				.toList();
			assertThat(limited.resources()).extracting(DisposableResourceDescriptor::id)
				.containsExactlyElementsOf(allIds.subList(0, 3));
			assertThat(endpoint.disposables("singleton", null, null).resources()).isEmpty();
			assertThat(endpoint.disposables("singleton", null, null).open()).isZero();
			assertThat(endpoint.disposables(null, "DISPOSING", null).resources()).isEmpty();
			assertThat(endpoint.disposables(null, null, 0).resources()).isEmpty();
		});
	}

	@Test
	void rejectsInvalidParameters() {
		this.runner.run((context) -> {
			DisposablesEndpoint endpoint = new DisposablesEndpoint(context.getBean(DisposableRegistry.class),
					Show.NEVER);
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.disposables(null, "open", null))
				.withMessageContaining("live or disposing");
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.disposables(null, "disposed", null));
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.disposables(null, null, -1));
		});
	}

	@Test
	void graphLimitIsCappedAtItsDocumentedMaximum() {
		this.runner.run((context) -> {
			DisposablesEndpoint endpoint = new DisposablesEndpoint(context.getBean(DisposableRegistry.class),
					Show.NEVER);
			assertThat(endpoint.disposable(DisposablesEndpoint.GRAPH, "mermaid", DisposablesEndpoint.MAX_GRAPH_LIMIT))
				.isNotNull();
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.disposable(DisposablesEndpoint.GRAPH, "mermaid", Integer.MAX_VALUE))
				.withMessageContaining("limit")
				.withMessageContaining(String.valueOf(DisposablesEndpoint.MAX_GRAPH_LIMIT));
			assertThatExceptionOfType(InvalidEndpointRequestException.class).isThrownBy(() -> endpoint
				.disposable(DisposablesEndpoint.GRAPH, null, DisposablesEndpoint.MAX_GRAPH_LIMIT + 1));
		});
	}

	@Test
	void singleResourceByIdAndUnknownId() {
		this.runner.run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			context.getBean("connection");
			long id = registry.resources().get(0).id();
			DisposablesEndpoint endpoint = new DisposablesEndpoint(registry, Show.ALWAYS);
			DisposableResourceDescriptor one = (DisposableResourceDescriptor) endpoint.disposable(String.valueOf(id),
					null, null);
			assertThat(one).isNotNull();
			assertThat(one.beanName()).isEqualTo("connection");
			assertThat(one.allocationSite()).isNotEmpty();
			assertThat(endpoint.disposable(String.valueOf(id + 1000), null, null)).isNull();
			assertThat(endpoint.disposable("connection", null, null)).isNull(); // not a
																				// number:
																				// not
																				// found
			DisposablesEndpointWebExtension web = new DisposablesEndpointWebExtension(endpoint, Show.NEVER, Set.of());
			WebEndpointResponse<OperationResponseBody> found = web.disposable(SecurityContext.NONE, String.valueOf(id),
					null, null);
			assertThat(found.getStatus()).isEqualTo(200);
			assertThat(((DisposableResourceDescriptor) found.getBody()).allocationSite()).isNull();
			assertThat(web.disposable(SecurityContext.NONE, String.valueOf(id + 1000), null, null).getStatus())
				.isEqualTo(404);
			WebEndpointResponse<OperationResponseBody> graph = web.disposable(SecurityContext.NONE,
					DisposablesEndpoint.GRAPH, "mermaid", "10");
			assertThat(graph.getStatus()).isEqualTo(200);
			assertThat(((DisposablesEndpoint.DisposalGraphDescriptor) graph.getBody()).text()).startsWith("flowchart");
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.disposable(DisposablesEndpoint.GRAPH, "svg", null));
		});
	}

	private static DisposablesDescriptor summary(WebEndpointResponse<OperationResponseBody> response) {
		assertThat(response.getStatus()).isEqualTo(200);
		return (DisposablesDescriptor) response.getBody();
	}

	@Test
	void allocationSitesFollowShowValues() {
		this.runner.withPropertyValues("disposables.prototypes.tracking=weak").run((context) -> {
			DisposableRegistry registry = context.getBean(DisposableRegistry.class);
			context.getBean("connection");
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				System.gc();
				assertThat(registry.recentLeaks()).isNotEmpty();
			});
			DisposablesEndpoint never = new DisposablesEndpoint(registry, Show.NEVER);
			assertThat(never.disposables(null, null, null).leaks()).singleElement()
				.satisfies((leak) -> assertThat(leak.allocationSite()).isNull());
			DisposablesEndpoint always = new DisposablesEndpoint(registry, Show.ALWAYS);
			assertThat(always.disposables(null, null, null).leaks()).singleElement()
				.satisfies((leak) -> assertThat(leak.allocationSite()).first()
					.asString()
					.startsWith(DisposablesEndpointTests.class.getName()));
			DisposablesEndpoint whenAuthorized = new DisposablesEndpoint(registry, Show.WHEN_AUTHORIZED);
			DisposablesEndpointWebExtension web = new DisposablesEndpointWebExtension(whenAuthorized,
					Show.WHEN_AUTHORIZED, Set.of("ADMIN"));
			assertThat(summary(web.disposables(SecurityContext.NONE, null, null, null)).leaks().get(0).allocationSite())
				.isNull();
			assertThat(summary(web.disposables(user("ops"), null, null, null)).leaks().get(0).allocationSite())
				.isNull();
			assertThat(summary(web.disposables(user("ADMIN"), null, null, null)).leaks().get(0).allocationSite())
				.isNotEmpty();
			assertThat(summary(web.disposables(user("ADMIN"), "singleton", null, null)).leaks()).isEmpty();
		});
	}

	@Test
	void operationResponsesHaveRuntimeHints() {
		RuntimeHints hints = new RuntimeHints();
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, DisposablesEndpoint.class,
				DisposablesEndpointWebExtension.class);
		for (Class<?> type : List.of(DisposablesDescriptor.class, DisposableResourceDescriptor.class,
				DisposablesEndpoint.DisposalGraphDescriptor.class, DisposablesEndpoint.ScopeSummaryDescriptor.class,
				DisposablesEndpoint.LeakDescriptor.class)) {
			assertThat(RuntimeHintsPredicates.reflection().onType(type)).accepts(hints);
		}
	}

	private static SecurityContext user(String role) {
		return new SecurityContext() {

			@Override
			public @Nullable Principal getPrincipal() {
				return () -> "user";
			}

			@Override
			public boolean isUserInRole(String candidate) {
				return role.equals(candidate);
			}

		};
	}

}
