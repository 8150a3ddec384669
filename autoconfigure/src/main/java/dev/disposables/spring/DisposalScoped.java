package dev.disposables.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Scope;
import org.springframework.context.annotation.ScopedProxyMode;
import org.springframework.core.annotation.AliasFor;

/**
 * Puts a bean in the {@value #SCOPE_NAME} scope: one instance per open
 * {@link DisposalScope}, disposed when that scope ends. Like {@code @RequestScope}, the
 * bean is a class-based scoped proxy by default, so it can be injected into singletons;
 * every call goes to the instance of the scope current on the calling thread.
 *
 * <pre class="code">
 * &#64;Component
 * &#64;DisposalScoped
 * class UnitOfWork implements AutoCloseable { ... }
 *
 * scopes.call(() -&gt; importer.importFile(path)); // importer uses UnitOfWork; closed when call() returns
 * </pre>
 *
 * <p>
 * Using the bean with no scope open fails with an {@link IllegalStateException} (wrapped
 * by Spring in a {@code ScopeNotActiveException}) that names the bean and says how to
 * open a scope.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Scope(DisposalScoped.SCOPE_NAME)
public @interface DisposalScoped {

	/** The scope name: {@value}. */
	String SCOPE_NAME = "disposal";

	/**
	 * The proxy mode; a class-based proxy by default.
	 * @return the proxy mode
	 */
	@AliasFor(annotation = Scope.class)
	ScopedProxyMode proxyMode() default ScopedProxyMode.TARGET_CLASS;

}
