package dev.disposables.boot.autoconfigure;

import dev.disposables.spring.DisposalSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DisposablesProperties}: its field defaults are literals (Spring Boot's
 * configuration metadata reads them from the source), so this keeps them equal to the
 * engine's own, declared once in {@link DisposalSettings#defaults()}.
 */
class DisposablesPropertiesTests {

	@Test
	void defaultsAreTheEngineDefaults() {
		assertThat(new DisposablesProperties().toSettings()).isEqualTo(DisposalSettings.defaults());
	}

}
