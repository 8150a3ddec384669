package dev.disposables.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Adds Disposables to a test slice: a slice ({@code @WebMvcTest}, {@code @JsonTest},
 * {@code @DataJpaTest}, ...) applies only the auto-configurations it lists, so without
 * this it has no {@code DisposableRegistry}, no {@code DisposalScopes} and no
 * request-scope disposal, and {@link DisposablesLeakCheck @DisposablesLeakCheck} has
 * nothing to check. It imports the registry, the scopes and (in a servlet web
 * application) the request filter; the actuator endpoint and the metrics stay out, as the
 * slices leave actuator out.
 *
 * <pre class="code">
 * &#064;WebMvcTest(ReportsController.class)
 * &#064;AutoConfigureDisposables
 * &#064;DisposablesLeakCheck
 * class ReportsControllerTests { ... }
 * </pre>
 *
 * <p>
 * The auto-configurations are listed in
 * {@code META-INF/spring/dev.disposables.test.AutoConfigureDisposables.imports}. A
 * {@code @SpringBootTest} has them already.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureDisposables {

}
