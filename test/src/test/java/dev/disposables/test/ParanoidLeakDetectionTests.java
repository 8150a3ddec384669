package dev.disposables.test;

import dev.disposables.spring.DisposableRegistry;
import dev.disposables.spring.LeakDetectionLevel;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test class annotated with {@link DisposablesLeakCheck @DisposablesLeakCheck} runs
 * leak detection at the {@code paranoid} level unless the test sets the level itself; the
 * application's configuration files do not count as the test's choice.
 */
class ParanoidLeakDetectionTests {

	@Nested
	@SpringBootTest(classes = LeakCheckTestApplication.class)
	@DisposablesLeakCheck
	class Annotated {

		@Test
		void isParanoid(@Autowired DisposableRegistry registry) {
			assertThat(registry.settings().leakDetectionLevel()).isEqualTo(LeakDetectionLevel.PARANOID);
		}

	}

	@Nested
	@SpringBootTest(classes = LeakCheckTestApplication.class,
			properties = "spring.config.name=leak-detection-simple-application")
	@DisposablesLeakCheck
	class LevelSetByTheApplicationConfiguration {

		@Test
		void isParanoid(@Autowired DisposableRegistry registry) {
			assertThat(registry.settings().leakDetectionLevel()).isEqualTo(LeakDetectionLevel.PARANOID);
		}

	}

	@Nested
	@SpringBootTest(classes = LeakCheckTestApplication.class, properties = "disposables.leak-detection.level=advanced")
	@DisposablesLeakCheck
	class LevelSetByTheTest {

		@Test
		void keepsTheTestsLevel(@Autowired DisposableRegistry registry) {
			assertThat(registry.settings().leakDetectionLevel()).isEqualTo(LeakDetectionLevel.ADVANCED);
		}

	}

	@Nested
	@SpringBootTest(classes = LeakCheckTestApplication.class)
	@TestPropertySource(properties = "disposables.leak-detection.level=disabled")
	@DisposablesLeakCheck
	class LevelSetByATestPropertySource {

		@Test
		void keepsTheTestsLevel(@Autowired DisposableRegistry registry) {
			assertThat(registry.settings().leakDetectionLevel()).isEqualTo(LeakDetectionLevel.DISABLED);
		}

	}

	@Nested
	@SpringBootTest(classes = LeakCheckTestApplication.class)
	class NotAnnotated {

		@Test
		void keepsTheDefault(@Autowired DisposableRegistry registry) {
			assertThat(registry.settings().leakDetectionLevel()).isEqualTo(LeakDetectionLevel.SIMPLE);
		}

	}

}
