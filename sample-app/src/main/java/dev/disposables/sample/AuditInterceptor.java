package dev.disposables.sample;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Opens the request's {@link AuditTrail} (a request-scoped bean) and closes the trail's
 * story with the response status. The trail itself is written when the starter disposes
 * it, after the request has completed.
 */
@Component
public class AuditInterceptor implements HandlerInterceptor {

	private final ObjectProvider<AuditTrail> audit;

	public AuditInterceptor(ObjectProvider<AuditTrail> audit) {
		this.audit = audit;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		AuditTrail trail = this.audit.getObject();
		trail.begin(request.getMethod(), request.getRequestURI());
		response.setHeader("X-Request-Id", trail.requestId());
		return true;
	}

	@Override
	public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		this.audit.getObject().end(response.getStatus());
	}

}
