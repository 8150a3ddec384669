package dev.disposables.benchmarks;

import java.util.Arrays;

/**
 * Order statistics of measured samples; medians and percentiles rather than means,
 * because a shared machine produces outliers that a mean would smear into every figure.
 */
final class Stats {

	private final double[] sorted;

	Stats(double[] samples) {
		if (samples.length == 0) {
			throw new IllegalArgumentException("no samples");
		}
		this.sorted = samples.clone();
		Arrays.sort(this.sorted);
	}

	double min() {
		return this.sorted[0];
	}

	double max() {
		return this.sorted[this.sorted.length - 1];
	}

	double median() {
		return percentile(50);
	}

	/**
	 * Nearest-rank percentile.
	 * @param p the percentile, 0 to 100
	 * @return the sample at that rank
	 */
	double percentile(double p) {
		int rank = (int) Math.ceil(p / 100.0 * this.sorted.length);
		return this.sorted[Math.max(0, Math.min(this.sorted.length - 1, rank - 1))];
	}

	int count() {
		return this.sorted.length;
	}

}
