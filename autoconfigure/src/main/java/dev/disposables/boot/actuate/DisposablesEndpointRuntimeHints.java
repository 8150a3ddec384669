package dev.disposables.boot.actuate;

import dev.disposables.boot.actuate.DisposablesEndpoint.DisposableResourceDescriptor;
import dev.disposables.boot.actuate.DisposablesEndpoint.DisposablesDescriptor;
import dev.disposables.boot.actuate.DisposablesEndpoint.LeakDescriptor;
import dev.disposables.boot.actuate.DisposablesEndpoint.ScopeSummaryDescriptor;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.actuate.endpoint.web.Link;

/**
 * The endpoint's descriptors are written as JSON by Jackson, which reads their record
 * components reflectively. The return types of {@code @ReadOperation} methods are
 * registered by Spring Boot's own processing of the endpoint's operations too; declared
 * here as well so that every descriptor (nested ones included) is covered whichever
 * operation or extension is exposed.
 */
class DisposablesEndpointRuntimeHints implements RuntimeHintsRegistrar {

	private final BindingReflectionHintsRegistrar bindingRegistrar = new BindingReflectionHintsRegistrar();

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		this.bindingRegistrar.registerReflectionHints(hints.reflection(), DisposablesDescriptor.class,
				ScopeSummaryDescriptor.class, DisposableResourceDescriptor.class, LeakDescriptor.class,
				InvalidParameterDescriptor.class, Link.class);
	}

}
