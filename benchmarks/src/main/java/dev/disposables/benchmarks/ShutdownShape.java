package dev.disposables.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The dependency shape of a shutdown benchmark: for each bean, the beans it depends on
 * ({@code dependsOn}), always lower-numbered so that the graph is acyclic. A bean is
 * disposed before everything it depends on, so the shortest possible shutdown is the
 * longest dependency path times the disposal latency.
 *
 * @param name the shape's name in reports
 * @param dependsOn for each bean index, the indexes it depends on
 */
record ShutdownShape(String name, List<int[]> dependsOn) {

	static ShutdownShape independent(int beans) {
		List<int[]> edges = new ArrayList<>();
		for (int i = 0; i < beans; i++) {
			edges.add(new int[0]);
		}
		return new ShutdownShape("independent", edges);
	}

	/**
	 * A chain of {@code depth} beans (each depends on the previous one); the rest
	 * independent.
	 */
	static ShutdownShape chain(int beans, int depth) {
		List<int[]> edges = new ArrayList<>();
		for (int i = 0; i < beans; i++) {
			edges.add((i > 0 && i < depth) ? new int[] { i - 1 } : new int[0]);
		}
		return new ShutdownShape("chain of " + Math.min(depth, beans), edges);
	}

	/**
	 * A random DAG, reproducible from its seed: each bean depends on up to two of the 20
	 * beans created just before it, each with probability 0.35 — fan-in and fan-out like
	 * services sharing clients, with paths of a few beans to a dozen or so.
	 */
	static ShutdownShape randomDag(int beans, long seed) {
		Random random = new Random(seed);
		List<int[]> edges = new ArrayList<>();
		for (int i = 0; i < beans; i++) {
			List<Integer> targets = new ArrayList<>();
			for (int pick = 0; pick < 2 && i > 0; pick++) {
				if (random.nextDouble() < 0.35) {
					int target = Math.max(0, i - 1 - random.nextInt(20));
					if (!targets.contains(target)) {
						targets.add(target);
					}
				}
			}
			edges.add(targets.stream().mapToInt(Integer::intValue).toArray());
		}
		return new ShutdownShape("random DAG (seed " + seed + ")", edges);
	}

	int size() {
		return this.dependsOn.size();
	}

	/** The number of beans on the longest dependency path. */
	int longestPath() {
		int[] depth = new int[size()];
		int longest = 0;
		for (int i = 0; i < size(); i++) {
			depth[i] = 1;
			for (int target : this.dependsOn.get(i)) {
				depth[i] = Math.max(depth[i], depth[target] + 1);
			}
			longest = Math.max(longest, depth[i]);
		}
		return longest;
	}

	/** The number of dependency edges, for the report. */
	int edges() {
		return this.dependsOn.stream().mapToInt((targets) -> targets.length).sum();
	}

}
