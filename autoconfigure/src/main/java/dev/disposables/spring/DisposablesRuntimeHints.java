package dev.disposables.spring;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * The runtime needs of the starter's own code in a native image; the needs of the
 * application's beans (the {@code @PreDestroy} and async disposal methods the starter
 * invokes) are declared per bean by {@link DisposablesBeanRegistrationAotProcessor}, and
 * Spring's AOT processing covers their scoped proxies (class-based ones are generated
 * ahead of time, interface-based ones recorded as JDK proxy hints). Registered in
 * {@code META-INF/spring/aot.factories}, so it only names types of optional libraries,
 * never loads them.
 *
 * <ul>
 * <li>Serialization: a session-scoped bean's destruction callback is serialized with its
 * session, keeping the serializable destruction-aware post-processors; this processor
 * writes itself as a small stand-in ({@code writeReplace}), which a restored session
 * reads back.</li>
 * <li>Resources and reflection: the {@code ThreadLocalAccessor} that carries the current
 * {@code DisposalScope} across threads is found through {@code ServiceLoader}.</li>
 * </ul>
 */
class DisposablesRuntimeHints implements RuntimeHintsRegistrar {

	/** By name: a private class. */
	static final TypeReference RESTORED_BEAN_DISPOSER = TypeReference
		.of(DisposablesBeanPostProcessor.class.getName() + "$RestoredBeanDisposer");

	static final String THREAD_LOCAL_ACCESSOR_SERVICE = "META-INF/services/io.micrometer.context.ThreadLocalAccessor";

	/** By name: the class implements an interface of an optional library. */
	static final TypeReference THREAD_LOCAL_ACCESSOR = TypeReference
		.of("dev.disposables.spring.DisposalScopeThreadLocalAccessor");

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection()
			.registerJavaSerialization(DisposablesBeanPostProcessor.class)
			.registerType(RESTORED_BEAN_DISPOSER, (type) -> type.withJavaSerialization(true));
		hints.resources().registerPattern(THREAD_LOCAL_ACCESSOR_SERVICE);
		hints.reflection()
			.registerType(THREAD_LOCAL_ACCESSOR, (type) -> type.withConstructor(List.of(), ExecutableMode.INVOKE));
	}

}
