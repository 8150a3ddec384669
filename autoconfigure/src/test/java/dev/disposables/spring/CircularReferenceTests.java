package dev.disposables.spring;

import java.util.List;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Circular references (field injection) make a cycle in Spring's dependent graph; the
 * shutdown breaks it the way Spring does instead of waiting forever, and still honours
 * the edges outside the cycle.
 */
class CircularReferenceTests {

	@Test
	void cycleIsBrokenAndEveryBeanDisposedOnce() {
		DisposalJournal journal = new DisposalJournal();
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.setAllowCircularReferences(true);
		context.register(DisposablesAutoConfiguration.class);
		context.registerBean(DisposalJournal.class, () -> journal);
		context.registerBean("left", Left.class);
		context.registerBean("right", Right.class);
		context.registerBean("shared", Object.class, () -> TimedResource.create("shared", 0, false, journal, List.of()),
				(definition) -> definition.setDependsOn());
		context.registerBean("user", Object.class, () -> TimedResource.create("user", 0, true, journal, List.of()),
				(definition) -> definition.setDependsOn("left"));
		context.refresh();
		long start = System.nanoTime();
		context.close();
		assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
		assertThat(journal.startCount("left")).isEqualTo(1);
		assertThat(journal.startCount("right")).isEqualTo(1);
		assertThat(journal.startCount("user")).isEqualTo(1);
		assertThat(journal.start("left")).isGreaterThan(journal.end("user"));
	}

	static class Left implements AutoCloseable {

		@Autowired
		Right right;

		@Autowired
		DisposalJournal journal;

		@Override
		public void close() {
			this.journal.started("left");
			this.journal.finished("left");
		}

	}

	static class Right implements AutoCloseable {

		@Autowired
		Left left;

		@Autowired
		DisposalJournal journal;

		@Override
		public void close() {
			this.journal.started("right");
			this.journal.finished("right");
		}

	}

}
