package dev.disposables.spring.conformance;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.disposables.spring.conformance.Scenario.Dependency;
import dev.disposables.spring.conformance.Scenario.Detection;
import dev.disposables.spring.conformance.Scenario.HelperScope;
import dev.disposables.spring.conformance.Scenario.Proxying;
import dev.disposables.spring.conformance.Scenario.Trigger;

/**
 * Every way Spring detects a destruction callback, on a plain singleton and on a prototype injected into one.
 */
class DetectionConformanceTests {

	@ParameterizedTest
	@EnumSource(Detection.class)
	void singletonClosed(Detection detection) {
		ConformanceRules.assertConforms(
				Scenario.of(detection, Proxying.NONE, HelperScope.SINGLETON, Dependency.CONSTRUCTOR, Trigger.CLOSE));
	}

}
