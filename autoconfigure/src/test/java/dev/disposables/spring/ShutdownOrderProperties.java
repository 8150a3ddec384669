package dev.disposables.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.disposables.boot.autoconfigure.DisposablesAutoConfiguration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.ManagedList;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over random dependency graphs, a bean's disposal never starts before every bean that
 * depends on it has finished, and every bean is disposed exactly once.
 */
class ShutdownOrderProperties {

	@Property(tries = 200)
	void disposalStartsOnlyAfterEveryDependentHasFinished(@ForAll("graphs") Graph graph) {
		DisposalJournal journal = new DisposalJournal();
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.register(DisposablesAutoConfiguration.class);
		context.registerBean(DisposalJournal.class, () -> journal);
		for (Node node : graph.nodes()) {
			context.registerBean(node.name(), Object.class, (definition) -> {
				AbstractBeanDefinition beanDefinition = (AbstractBeanDefinition) definition;
				beanDefinition.setBeanClass(TimedResource.class);
				beanDefinition.setFactoryMethodName("create");
				ManagedList<Object> references = new ManagedList<>();
				List<String> dependsOn = new ArrayList<>();
				for (Edge edge : node.dependencies()) {
					if (edge.byInjection()) {
						references.add(new RuntimeBeanReference(edge.target()));
					}
					else {
						dependsOn.add(edge.target());
					}
				}
				var arguments = beanDefinition.getConstructorArgumentValues();
				arguments.addIndexedArgumentValue(0, node.name());
				arguments.addIndexedArgumentValue(1, node.millis());
				arguments.addIndexedArgumentValue(2, node.async());
				arguments.addIndexedArgumentValue(3, new RuntimeBeanReference(DisposalJournal.class));
				arguments.addIndexedArgumentValue(4, references);
				beanDefinition.setDependsOn(dependsOn.toArray(String[]::new));
			});
		}
		context.refresh();
		context.close();

		for (Node node : graph.nodes()) {
			assertThat(journal.startCount(node.name())).as("disposals of %s", node.name()).isEqualTo(1);
			assertThat(journal.end(node.name())).as("end of %s", node.name()).isNotNull();
			for (Edge edge : node.dependencies()) {
				// node depends on edge.target(): the target may start only after node has
				// finished
				assertThat(journal.start(edge.target()))
					.as("%s starts after its dependent %s ended", edge.target(), node.name())
					.isGreaterThan(journal.end(node.name()));
			}
		}
	}

	@Provide
	Arbitrary<Graph> graphs() {
		return Arbitraries.integers().between(1, 50).flatMap((size) -> Arbitraries.longs().map((seed) -> {
			Random random = new Random(seed);
			double density = 0.02 + random.nextDouble() * 0.2;
			List<Node> nodes = new ArrayList<>();
			for (int i = 0; i < size; i++) {
				List<Edge> dependencies = new ArrayList<>();
				for (int j = 0; j < i; j++) {
					if (random.nextDouble() < density) {
						dependencies.add(new Edge("bean" + j, random.nextBoolean()));
					}
				}
				nodes.add(new Node("bean" + i, random.nextInt(6), random.nextBoolean(), dependencies));
			}
			return new Graph(nodes);
		}));
	}

	record Graph(List<Node> nodes) {

		@Override
		public String toString() {
			StringBuilder text = new StringBuilder();
			for (Node node : this.nodes) {
				text.append(node.name())
					.append(node.async() ? "(async " : "(sync ")
					.append(node.millis())
					.append("ms)");
				node.dependencies().forEach((edge) -> text.append(" ->").append(edge.target()));
				text.append('\n');
			}
			return text.toString();
		}

	}

	record Node(String name, long millis, boolean async, List<Edge> dependencies) {
	}

	record Edge(String target, boolean byInjection) {
	}

}
