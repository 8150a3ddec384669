package dev.disposables.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;

/**
 * Counts the files of a data directory and reports them to the current {@link UnitOfWork}
 * (a scoped proxy: the instance of the scope current on the calling thread).
 */
@Component
public class Inventory {

	private final UnitOfWork unitOfWork;

	private final SampleProperties properties;

	public Inventory(UnitOfWork unitOfWork, SampleProperties properties) {
		this.unitOfWork = unitOfWork;
		this.properties = properties;
	}

	public void count(String name, Path directory) throws IOException {
		long files = 0;
		if (Files.isDirectory(directory)) {
			try (Stream<Path> listing = Files.list(directory)) {
				files = listing.count();
			}
		}
		this.unitOfWork.found(name + "=" + files);
	}

	public void countAll() throws IOException {
		count("reports", this.properties.reportsDir());
		count("scratch", this.properties.scratchDir());
	}

}
