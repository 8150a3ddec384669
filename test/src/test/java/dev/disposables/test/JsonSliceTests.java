package dev.disposables.test;

import dev.disposables.spring.DisposableRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.json.JsonTest;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @JsonTest} slice with {@link AutoConfigureDisposables} has Disposables, and
 * the leak check runs.
 */
@JsonTest
@AutoConfigureDisposables
@DisposablesLeakCheck
class JsonSliceTests {

	@Test
	void hasARegistry(@Autowired ObjectProvider<DisposableRegistry> registry) {
		assertThat(registry.getIfAvailable()).isNotNull();
	}

	@Configuration(proxyBeanMethods = false)
	static class Config {

	}

}
