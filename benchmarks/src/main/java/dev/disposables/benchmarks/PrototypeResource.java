package dev.disposables.benchmarks;

import dev.disposables.DisposalEvents;
import dev.disposables.ReportsDisposal;

/**
 * A disposable prototype with nothing behind it, so that the prototype benchmarks measure
 * the container's and the starter's bookkeeping, not the resource. It announces its
 * disposal, so that one dropped undisposed is a leak the starter reports (the retention
 * benchmark counts them). Public: the JMH-generated code and CGLIB see it.
 */
@ReportsDisposal
public class PrototypeResource implements AutoCloseable {

	@Override
	public void close() {
		DisposalEvents.disposed(this); // nothing else to release
	}

}
