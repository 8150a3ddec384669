package dev.disposables.test;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * What a {@link LeakCheck} checks: the scopes that count and how long to wait for
 * disposals still in flight.
 *
 * @param scopes the scope names whose resources must be disposed
 * @param gracePeriod how long to wait at the end for disposals still running or about to
 * start
 */
record LeakCheckSettings(Set<String> scopes, Duration gracePeriod) {

	static final LeakCheckSettings DEFAULTS = new LeakCheckSettings(Set.of("prototype", "disposal", "request"),
			Duration.ofSeconds(1));

	LeakCheckSettings {
		scopes = Set.copyOf(scopes);
		if (gracePeriod.isNegative()) {
			throw new IllegalArgumentException("The grace period must not be negative: " + gracePeriod);
		}
	}

	static LeakCheckSettings of(DisposablesLeakCheck annotation) {
		Duration gracePeriod;
		try {
			gracePeriod = DurationStyle.detectAndParse(annotation.gracePeriod());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("@DisposablesLeakCheck(gracePeriod = \"" + annotation.gracePeriod()
					+ "\") is not a duration: use 500ms, 2s or PT2S", ex);
		}
		return new LeakCheckSettings(Set.copyOf(Arrays.asList(annotation.scopes())), gracePeriod);
	}

	/**
	 * The annotation that applies to a test: the method's, else the class's (inherited,
	 * or of an enclosing class for a {@code @Nested} test class).
	 * @param testClass the test class
	 * @param testMethod the test method
	 * @return the annotation, or {@code null} if the test is not annotated
	 */
	static @Nullable DisposablesLeakCheck find(Class<?> testClass, @Nullable Method testMethod) {
		if (testMethod != null) {
			DisposablesLeakCheck onMethod = AnnotatedElementUtils.findMergedAnnotation(testMethod,
					DisposablesLeakCheck.class);
			if (onMethod != null) {
				return onMethod;
			}
		}
		return TestContextAnnotationUtils.findMergedAnnotation(testClass, DisposablesLeakCheck.class);
	}

}
