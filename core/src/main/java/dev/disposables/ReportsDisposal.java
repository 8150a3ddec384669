package dev.disposables;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose instances announce their own disposal through
 * {@link DisposalEvents#disposed(Object)} (from {@code close()}, a destroy method or a
 * {@code @PreDestroy} method). A container then knows that a collected instance that
 * never announced its disposal leaked, and that one that did must not be disposed again.
 * {@link DisposableBase} subclasses need no annotation: they always announce it.
 *
 * <pre>{@code
 * &#64;ReportsDisposal
 * public class Connection implements AutoCloseable {
 *     public void close() {
 *         DisposalEvents.disposed(this);
 *         socket.close();
 *     }
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ReportsDisposal {

}
