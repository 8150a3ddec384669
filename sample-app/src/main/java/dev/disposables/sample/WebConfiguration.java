package dev.disposables.sample;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Audits the sample's own endpoints (not the actuator).
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

	private final AuditInterceptor auditInterceptor;

	WebConfiguration(AuditInterceptor auditInterceptor) {
		this.auditInterceptor = auditInterceptor;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this.auditInterceptor).addPathPatterns("/orders/**", "/reports/**", "/leak");
	}

}
