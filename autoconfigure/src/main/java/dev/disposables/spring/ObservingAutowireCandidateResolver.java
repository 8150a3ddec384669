package dev.disposables.spring;

import java.lang.reflect.Field;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectFactory;
import org.springframework.beans.factory.config.BeanDefinitionHolder;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.beans.factory.support.AutowireCandidateResolver;

/**
 * The bean factory's {@link AutowireCandidateResolver}, decorated to observe which beans
 * are resolved while another bean is being created on the same thread: through an
 * {@code ObjectProvider} or a {@code @Lazy} proxy in a constructor or initializer, which
 * Spring does not record as dependencies. Each such candidate is recorded in Spring's own
 * dependent-bean graph, so that it is disposed only after the bean that resolved it.
 * Every decision is the delegate's: this class only watches.
 *
 * <p>
 * Several candidates of one type (one of them {@code @Primary}) are all recorded: more
 * order, never less. Prototypes are not recorded: they are owned by the bean they were
 * created for.
 */
final class ObservingAutowireCandidateResolver implements AutowireCandidateResolver {

	private final AutowireCandidateResolver delegate;

	private final ConfigurableListableBeanFactory beanFactory;

	private final ObservedDependencies recorder;

	ObservingAutowireCandidateResolver(AutowireCandidateResolver delegate,
			ConfigurableListableBeanFactory beanFactory) {
		this.delegate = delegate;
		this.beanFactory = beanFactory;
		this.recorder = ObservedDependencies.of(beanFactory);
	}

	@Override
	public boolean isAutowireCandidate(BeanDefinitionHolder candidate, DependencyDescriptor descriptor) {
		boolean result = this.delegate.isAutowireCandidate(candidate, descriptor);
		if (result && !candidate.getBeanDefinition().isPrototype()) {
			CreationFrames.Frame creating = CreationFrames.current(this.beanFactory);
			String user = (creating != null) ? creating.beanName() : null;
			if (user != null && !user.equals(candidate.getBeanName())
					&& this.beanFactory.containsBeanDefinition(user)) {
				if (isResolvedThroughProvider(descriptor)) {
					this.recorder.record(this.beanFactory, candidate.getBeanName(), user);
				}
				else {
					this.recorder.recordDeclared(this.beanFactory, candidate.getBeanName(), user);
				}
			}
		}
		return result;
	}

	/**
	 * Whether the candidate is resolved through an {@code ObjectProvider} (or
	 * {@code ObjectFactory}, JSR-330 {@code Provider}) rather than injected: Spring
	 * records no dependency for it. A plain injection point, an {@code Optional}, a
	 * collection or a {@code @Lazy} proxy's target are recorded by Spring itself.
	 * @param descriptor the injection point
	 * @return whether it resolves its candidate through a provider
	 */
	private static boolean isResolvedThroughProvider(DependencyDescriptor descriptor) {
		Field field = descriptor.getField();
		Class<?> declared = (field != null) ? field.getType()
				: (descriptor.getMethodParameter() != null) ? descriptor.getMethodParameter().getParameterType() : null;
		return declared == null || ObjectFactory.class.isAssignableFrom(declared)
				|| declared.getName().endsWith(".inject.Provider");
	}

	@Override
	public boolean isRequired(DependencyDescriptor descriptor) {
		return this.delegate.isRequired(descriptor);
	}

	@Override
	public boolean hasQualifier(DependencyDescriptor descriptor) {
		return this.delegate.hasQualifier(descriptor);
	}

	@Override
	public @Nullable String getSuggestedName(DependencyDescriptor descriptor) {
		return this.delegate.getSuggestedName(descriptor);
	}

	@Override
	public @Nullable Object getSuggestedValue(DependencyDescriptor descriptor) {
		return this.delegate.getSuggestedValue(descriptor);
	}

	@Override
	public @Nullable Object getLazyResolutionProxyIfNecessary(DependencyDescriptor descriptor,
			@Nullable String beanName) {
		return this.delegate.getLazyResolutionProxyIfNecessary(descriptor, beanName);
	}

	@Override
	public @Nullable Class<?> getLazyResolutionProxyClass(DependencyDescriptor descriptor, @Nullable String beanName) {
		return this.delegate.getLazyResolutionProxyClass(descriptor, beanName);
	}

	@Override
	public AutowireCandidateResolver cloneIfNecessary() {
		return new ObservingAutowireCandidateResolver(this.delegate.cloneIfNecessary(), this.beanFactory);
	}

}
