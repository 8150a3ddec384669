package dev.disposables.benchmarks;

/**
 * A disposable prototype with nothing behind it, so that the prototype benchmarks measure
 * the container's and the starter's bookkeeping, not the resource. Public: the
 * JMH-generated code and CGLIB see it.
 */
public class PrototypeResource implements AutoCloseable {

	@Override
	public void close() {
		// nothing to release
	}

}
