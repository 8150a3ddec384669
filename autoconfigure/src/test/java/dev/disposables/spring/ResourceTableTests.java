package dev.disposables.spring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ResourceTable}: a resource is found by its instance and by its id until it is
 * removed, resources that share a stripe or a bucket are told apart (also after a stripe
 * grows), a lookup by instance compares instances rather than hashes, removing what the
 * table does not hold changes nothing, a snapshot lists every resource once, and ids are
 * positive, carry the instance's identity hash and grow with the registration sequence.
 */
class ResourceTableTests {

	/** The sequence bits of an id, as {@link ResourceTable} documents them. */
	private static final long SEQUENCE_MASK = (1L << (63 - ResourceTable.HASH_BITS)) - 1;

	/** The stripes of the table: the low bits of a hash pick one. */
	private static final int STRIPES = 64;

	private static final ResourceMeta META = new ResourceMeta("bean", "bean", Object.class.getName(), "prototype",
			DisposalPlan.NONE, null, Object.class, ResourceKind.DISPOSABLE);

	private final ResourceTable table = new ResourceTable();

	@Test
	void findsEveryResourceByItsInstanceAndByItsIdWhileStripesGrow() {
		// Far more resources than a stripe's initial buckets: every stripe grows.
		List<ManagedResource> resources = new ArrayList<>();
		for (int sequence = 1; sequence <= 20_000; sequence++) {
			Object instance = new Object();
			ManagedResource resource = resource(ResourceTable.id(sequence, instance), instance);
			this.table.add(resource);
			resources.add(resource);
		}
		for (ManagedResource resource : resources) {
			assertThat(this.table.get(resource.instance())).isSameAs(resource);
			assertThat(this.table.find(resource.id())).isSameAs(resource);
		}
	}

	@Test
	void findsNothingItDoesNotHold() {
		Object instance = new Object();
		ManagedResource held = resource(ResourceTable.id(1, instance), instance);
		assertThat(this.table.get(instance)).isNull();
		assertThat(this.table.find(held.id())).isNull();
		this.table.add(held);
		Object other = new Object();
		assertThat(this.table.get(other)).isNull();
		assertThat(this.table.find(ResourceTable.id(2, instance))).as("same hash, another sequence").isNull();
		assertThat(this.table.find(0)).isNull();
		assertThat(this.table.find(-1)).isNull();
		assertThat(this.table.find(Long.MIN_VALUE)).isNull();
	}

	@Test
	void anInstanceIsNotMistakenForAnotherWhoseResourceCarriesItsHash() {
		Object tracked = new Object();
		Object lookalike = new Object();
		// The id carries the look-alike's hash: same stripe, same bucket, same hash bits.
		ManagedResource resource = resource(ResourceTable.id(1, lookalike), tracked);
		this.table.add(resource);
		assertThat(this.table.get(lookalike)).as("compared by instance, not by hash").isNull();
		assertThat(this.table.find(resource.id())).isSameAs(resource);
	}

	@Test
	void tellsApartResourcesInOneBucketAndUnlinksEachWhereverItIs() {
		Object instance = new Object();
		List<ManagedResource> chain = new ArrayList<>();
		for (int sequence = 1; sequence <= 5; sequence++) {
			// One instance, so one hash: one stripe, one bucket, a chain of five.
			ManagedResource resource = resource(ResourceTable.id(sequence, instance), instance);
			this.table.add(resource);
			chain.add(resource);
		}
		for (ManagedResource resource : chain) {
			assertThat(this.table.find(resource.id())).isSameAs(resource);
		}
		assertThat(this.table.get(instance)).isIn(chain);
		// The chain is linked newest first: remove from its middle, its head, its tail.
		for (int index : new int[] { 2, 4, 0 }) {
			ManagedResource removed = chain.get(index);
			this.table.remove(removed);
			assertThat(this.table.find(removed.id())).isNull();
			assertThat(removed.next).as("unlinked").isNull();
		}
		assertThat(this.table.find(chain.get(1).id())).isSameAs(chain.get(1));
		assertThat(this.table.find(chain.get(3).id())).isSameAs(chain.get(3));
		assertThat(this.table.get(instance)).isIn(chain.get(1), chain.get(3));
		assertThat(snapshot()).containsExactlyInAnyOrder(chain.get(1), chain.get(3));
	}

	@Test
	void removingWhatItDoesNotHoldChangesNothing() {
		Object instance = new Object();
		ManagedResource first = resource(ResourceTable.id(1, instance), instance);
		ManagedResource second = resource(ResourceTable.id(2, instance), instance);
		ManagedResource stranger = resource(ResourceTable.id(3, instance), instance);
		this.table.add(first);
		this.table.add(second);
		this.table.remove(stranger); // same bucket, never added
		assertThat(snapshot()).containsExactlyInAnyOrder(first, second);
		this.table.remove(first);
		this.table.remove(first); // twice
		assertThat(snapshot()).containsExactly(second);
		assertThat(this.table.find(second.id())).isSameAs(second);
		assertThat(this.table.get(instance)).isSameAs(second);
	}

	@Test
	void aResourceRemovedCanBeAddedAgain() {
		Object instance = new Object();
		ManagedResource resource = resource(ResourceTable.id(1, instance), instance);
		this.table.add(resource);
		this.table.remove(resource);
		this.table.add(resource);
		assertThat(this.table.get(instance)).isSameAs(resource);
		assertThat(snapshot()).containsExactly(resource);
	}

	@Test
	void concurrentAddsAndRemovesLoseNothing() throws Exception {
		int threads = 4;
		int perThread = 5_000;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch go = new CountDownLatch(1);
			List<Future<List<ManagedResource>>> kept = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int base = t * perThread;
				kept.add(pool.submit(() -> {
					go.await();
					List<ManagedResource> mine = new ArrayList<>();
					for (int i = 1; i <= perThread; i++) {
						Object instance = new Object();
						ManagedResource resource = resource(ResourceTable.id(base + i, instance), instance);
						this.table.add(resource);
						mine.add(resource);
					}
					List<ManagedResource> left = new ArrayList<>();
					for (int i = 0; i < mine.size(); i++) {
						if (i % 2 == 0) {
							this.table.remove(mine.get(i));
						}
						else {
							left.add(mine.get(i));
						}
					}
					return left;
				}));
			}
			go.countDown();
			List<ManagedResource> expected = new ArrayList<>();
			for (Future<List<ManagedResource>> future : kept) {
				expected.addAll(future.get());
			}
			assertHoldsExactly(this.table, expected);
			for (ManagedResource resource : expected) {
				assertThat(this.table.get(resource.instance())).isSameAs(resource);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	/**
	 * Random hashes, many of them in one stripe so that it grows several times, random
	 * removals (some twice, some of resources never added) and more adds after them: the
	 * table holds exactly what a map would.
	 * @param hashes the hash bits of the ids, one per resource
	 * @param random chooses what is removed
	 */
	@Property(tries = 100)
	void holdsExactlyWhatAMapWould(@ForAll("hashes") List<Integer> hashes, @ForAll Random random) {
		ResourceTable table = new ResourceTable();
		Map<Long, ManagedResource> model = new LinkedHashMap<>();
		List<ManagedResource> removed = new ArrayList<>();
		long sequence = 0;
		for (int round = 0; round < 2; round++) {
			for (int hash : hashes) {
				ManagedResource resource = resource((++sequence << ResourceTable.HASH_BITS) | hash, new Object());
				table.add(resource);
				model.put(resource.id(), resource);
			}
			for (ManagedResource resource : new ArrayList<>(model.values())) {
				if (random.nextInt(3) == 0) {
					table.remove(resource);
					model.remove(resource.id());
					removed.add(resource);
				}
			}
			if (!removed.isEmpty()) {
				table.remove(removed.get(random.nextInt(removed.size()))); // again
			}
			table.remove(resource((++sequence << ResourceTable.HASH_BITS) | hashes.get(0), new Object()));
		}
		for (ManagedResource resource : model.values()) {
			assertThat(table.find(resource.id())).isSameAs(resource);
		}
		for (ManagedResource resource : removed) {
			assertThat(table.find(resource.id())).isNull();
		}
		assertHoldsExactly(table, model.values());
	}

	@Provide
	Arbitrary<List<Integer>> hashes() {
		Arbitrary<Integer> anywhere = Arbitraries.integers().between(0, (int) ResourceTable.HASH_MASK);
		// Stripe 5: its buckets come from the bits above the stripe's.
		Arbitrary<Integer> oneStripe = Arbitraries.integers()
			.between(0, (int) (ResourceTable.HASH_MASK >>> 6))
			.map((bucketBits) -> (bucketBits * STRIPES) | 5);
		return Arbitraries.frequencyOf(Tuple.of(1, anywhere), Tuple.of(3, oneStripe))
			.list()
			.ofMinSize(1)
			.ofMaxSize(800);
	}

	/**
	 * Ids are positive, end with the low bits of the instance's identity hash, and grow
	 * with the sequence whatever the instances.
	 * @param first a sequence
	 * @param gap how much later the second registration came
	 */
	@Property(tries = 500)
	void idsArePositiveCarryTheHashAndGrowWithTheSequence(
			@ForAll @LongRange(min = 1, max = SEQUENCE_MASK - 1) long first,
			@ForAll @LongRange(min = 1, max = 1L << 20) long gap) {
		long second = Math.min(SEQUENCE_MASK, first + gap);
		Object one = new Object();
		Object two = new Object();
		long firstId = ResourceTable.id(first, one);
		long secondId = ResourceTable.id(second, two);
		assertThat(firstId).isPositive();
		assertThat(secondId).isGreaterThan(firstId);
		assertThat(firstId & ResourceTable.HASH_MASK).isEqualTo(System.identityHashCode(one) & ResourceTable.HASH_MASK);
		assertThat(secondId >>> ResourceTable.HASH_BITS).isEqualTo(second);
	}

	@Test
	void idsStayNonNegativeWhenTheSequenceWraps() {
		Object instance = new Object();
		assertThat(ResourceTable.id(Long.MAX_VALUE, instance)).isNotNegative();
		assertThat(ResourceTable.id(SEQUENCE_MASK + 1, instance)).isEqualTo(ResourceTable.id(0, instance));
	}

	/**
	 * Asserts that a snapshot of a table lists exactly the expected resources, each once;
	 * a failure names the ids at fault only, not thousands of resources.
	 * @param table the table
	 * @param expected the resources it must hold
	 */
	private static void assertHoldsExactly(ResourceTable table, Collection<ManagedResource> expected) {
		List<ManagedResource> all = snapshot(table);
		Set<ManagedResource> listed = Collections.newSetFromMap(new IdentityHashMap<>());
		List<Long> twice = new ArrayList<>();
		for (ManagedResource resource : all) {
			if (!listed.add(resource)) {
				twice.add(resource.id());
			}
		}
		Set<ManagedResource> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
		wanted.addAll(expected);
		List<Long> missing = expected.stream()
			.filter((resource) -> !listed.contains(resource))
			.map(ManagedResource::id)
			.toList();
		List<Long> extra = all.stream()
			.filter((resource) -> !wanted.contains(resource))
			.map(ManagedResource::id)
			.toList();
		assertThat(missing).as("missing from the snapshot").isEmpty();
		assertThat(extra).as("listed but not expected").isEmpty();
		assertThat(twice).as("listed twice").isEmpty();
	}

	private List<ManagedResource> snapshot() {
		List<ManagedResource> all = snapshot(this.table);
		Set<ManagedResource> once = Collections.newSetFromMap(new IdentityHashMap<>());
		assertThat(all).allMatch(once::add, "listed once");
		return all;
	}

	/**
	 * A snapshot of a table, that gives up past a million resources: more than any test
	 * adds, so the table's links have a cycle.
	 * @param table the table
	 * @return what the table lists
	 */
	private static List<ManagedResource> snapshot(ResourceTable table) {
		List<ManagedResource> all = new ArrayList<>() {

			@Override
			public boolean add(ManagedResource resource) {
				if (size() >= 1_000_000) {
					throw new AssertionError("The table's links have a cycle");
				}
				return super.add(resource);
			}

		};
		table.addAllTo(all);
		return all;
	}

	private static ManagedResource resource(long id, Object instance) {
		return new ManagedResource(id, instance, META, true, null);
	}

}
