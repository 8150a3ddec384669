package dev.disposables.spring;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The registry's live resources, found by instance (identity) or by id in constant
 * expected time, without a map node per resource: the resources are linked through their
 * own {@link ManagedResource#next} field in the buckets of a fixed number of stripes,
 * each with its own lock. The table keeps every resource strongly reachable, which a
 * {@link java.lang.ref.WeakReference} must be for the garbage collector to enqueue it
 * once its instance is gone.
 *
 * <p>
 * A resource's id carries the low {@link #HASH_BITS} bits of its instance's identity hash
 * (above them, the registration sequence, so that ids still grow in registration order):
 * the stripe and the bucket come from those bits, whether the lookup starts from the
 * instance or from the id.
 */
final class ResourceTable {

	/** Bits of the identity hash kept in an id: up to about a million buckets in all. */
	static final int HASH_BITS = 20;

	static final long HASH_MASK = (1L << HASH_BITS) - 1;

	/**
	 * The sequence part of an id: 43 bits, so that ids stay positive; past 8.8 x 10^12
	 * registrations it wraps and ids stop growing in registration order (at a million
	 * registrations per second, after about 100 days).
	 */
	private static final long SEQUENCE_MASK = (1L << (63 - HASH_BITS)) - 1;

	private static final int STRIPE_BITS = 6;

	private static final int STRIPE_MASK = (1 << STRIPE_BITS) - 1;

	private static final int INITIAL_BUCKETS = 16;

	private static final int MAX_BUCKETS = 1 << (HASH_BITS - STRIPE_BITS);

	private final Stripe[] stripes = new Stripe[1 << STRIPE_BITS];

	ResourceTable() {
		for (int i = 0; i < this.stripes.length; i++) {
			this.stripes[i] = new Stripe();
		}
	}

	/**
	 * The id of a new resource.
	 * @param sequence its registration number
	 * @param instance its instance
	 * @return the id
	 */
	static long id(long sequence, Object instance) {
		return ((sequence & SEQUENCE_MASK) << HASH_BITS) | hash(instance);
	}

	private static int hash(Object instance) {
		return (int) (System.identityHashCode(instance) & HASH_MASK);
	}

	void add(ManagedResource resource) {
		int hash = (int) (resource.id() & HASH_MASK);
		Stripe stripe = this.stripes[hash & STRIPE_MASK];
		synchronized (stripe) {
			stripe.add(resource, hash >>> STRIPE_BITS);
		}
	}

	/**
	 * Removes a resource; nothing happens if it is not in the table.
	 * @param resource the resource to remove
	 */
	void remove(ManagedResource resource) {
		int hash = (int) (resource.id() & HASH_MASK);
		Stripe stripe = this.stripes[hash & STRIPE_MASK];
		synchronized (stripe) {
			stripe.remove(resource, hash >>> STRIPE_BITS);
		}
	}

	/**
	 * The resource of an instance.
	 * @param instance the object the resource tracks
	 * @return its resource, or {@code null} if it is not tracked
	 */
	@Nullable ManagedResource get(Object instance) {
		int hash = hash(instance);
		Stripe stripe = this.stripes[hash & STRIPE_MASK];
		synchronized (stripe) {
			ManagedResource[] buckets = stripe.buckets;
			for (ManagedResource candidate = buckets[(hash >>> STRIPE_BITS)
					& (buckets.length - 1)]; candidate != null; candidate = candidate.next) {
				// refersTo: compares without making the referent strongly reachable again
				if ((candidate.id() & HASH_MASK) == hash && candidate.refersTo(instance)) {
					return candidate;
				}
			}
		}
		return null;
	}

	/**
	 * The resource with an id.
	 * @param id the id of the resource
	 * @return the resource, or {@code null} if none has that id
	 */
	@Nullable ManagedResource find(long id) {
		if (id <= 0) {
			return null;
		}
		int hash = (int) (id & HASH_MASK);
		Stripe stripe = this.stripes[hash & STRIPE_MASK];
		synchronized (stripe) {
			ManagedResource[] buckets = stripe.buckets;
			for (ManagedResource candidate = buckets[(hash >>> STRIPE_BITS)
					& (buckets.length - 1)]; candidate != null; candidate = candidate.next) {
				if (candidate.id() == id) {
					return candidate;
				}
			}
		}
		return null;
	}

	/**
	 * Adds every resource to a list, one stripe at a time: a snapshot that nothing else
	 * waits for long, and that the caller filters without holding a lock (the filters may
	 * be user code).
	 * @param into the list to add the resources to
	 */
	void addAllTo(List<? super ManagedResource> into) {
		for (Stripe stripe : this.stripes) {
			synchronized (stripe) {
				for (ManagedResource head : stripe.buckets) {
					for (ManagedResource resource = head; resource != null; resource = resource.next) {
						into.add(resource);
					}
				}
			}
		}
	}

	/**
	 * One stripe: buckets of resources linked through {@link ManagedResource#next};
	 * guarded by itself.
	 */
	private static final class Stripe {

		ManagedResource[] buckets = new ManagedResource[INITIAL_BUCKETS];

		int size;

		void add(ManagedResource resource, int hash) {
			if (this.size >= this.buckets.length && this.buckets.length < MAX_BUCKETS) {
				grow();
			}
			int index = hash & (this.buckets.length - 1);
			resource.next = this.buckets[index];
			this.buckets[index] = resource;
			this.size++;
		}

		void remove(ManagedResource resource, int hash) {
			int index = hash & (this.buckets.length - 1);
			ManagedResource previous = null;
			for (ManagedResource current = this.buckets[index]; current != null; current = current.next) {
				if (current == resource) {
					if (previous == null) {
						this.buckets[index] = current.next;
					}
					else {
						previous.next = current.next;
					}
					current.next = null;
					this.size--;
					return;
				}
				previous = current;
			}
		}

		private void grow() {
			ManagedResource[] old = this.buckets;
			ManagedResource[] grown = new ManagedResource[old.length * 2];
			for (ManagedResource head : old) {
				ManagedResource current = head;
				while (current != null) {
					ManagedResource next = current.next;
					int index = ((int) (current.id() & HASH_MASK) >>> STRIPE_BITS) & (grown.length - 1);
					current.next = grown[index];
					grown[index] = current;
					current = next;
				}
			}
			this.buckets = grown;
		}

	}

}
