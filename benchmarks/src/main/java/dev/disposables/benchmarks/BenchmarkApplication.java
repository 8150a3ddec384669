package dev.disposables.benchmarks;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The application the non-web benchmarks start: plain Boot auto-configuration and nothing
 * else, so that stock Spring ({@code disposables.enabled=false}) and the starter differ
 * only by the starter. Each benchmark adds its beans through an initializer.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class BenchmarkApplication {

}
