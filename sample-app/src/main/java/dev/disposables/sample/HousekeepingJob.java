package dev.disposables.sample;

import dev.disposables.spring.DisposalScopes;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A scheduled job that runs each time in a fresh {@code DisposalScope}: the
 * {@link UnitOfWork} used during the run (by the job and by {@link Inventory}) is one
 * instance, closed — committed — when the run ends.
 */
@Component
public class HousekeepingJob {

	private final ObjectProvider<DisposalScopes> scopes;

	private final Inventory inventory;

	private final UnitOfWork unitOfWork;

	private final TelemetryClient telemetry;

	public HousekeepingJob(ObjectProvider<DisposalScopes> scopes, Inventory inventory, UnitOfWork unitOfWork,
			TelemetryClient telemetry) {
		this.scopes = scopes;
		this.inventory = inventory;
		this.unitOfWork = unitOfWork;
		this.telemetry = telemetry;
	}

	@Scheduled(fixedDelayString = "${sample.housekeeping-interval:5s}",
			initialDelayString = "${sample.housekeeping-interval:5s}")
	public void run() throws Exception {
		DisposalScopes disposalScopes = this.scopes.getIfAvailable();
		if (disposalScopes == null) {
			return; // disposables.enabled=false: there is no disposal scope to run in
		}
		long run = disposalScopes.call(() -> {
			this.inventory.countAll();
			this.unitOfWork.found("job done");
			return this.unitOfWork.run();
		}); // the scope ends: the unit of work is committed
		this.telemetry.record("housekeeping", Long.toString(run));
	}

}
