package dev.disposables.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

/**
 * Binding hints for {@link DisposablesProperties}: besides the
 * {@code @ConfigurationProperties} bean (which Spring Boot's AOT processing covers), the
 * starter binds them itself with a {@code Binder} when the registry is created (see
 * {@code DisposablesPropertiesBinder}), so it declares what that binding reflects on.
 */
class DisposablesPropertiesRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		BindableRuntimeHintsRegistrar.forTypes(DisposablesProperties.class).registerHints(hints, classLoader);
	}

}
