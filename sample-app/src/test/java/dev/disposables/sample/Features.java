package dev.disposables.sample;

/**
 * Which parts of the starter the build under test has, judged by the classes on the test class path (the same
 * artifacts the packaged application contains). Tests of a part that is not there are skipped, not failed.
 */
final class Features {

	/** The {@code disposables} actuator endpoint and the Micrometer metrics (issue 5). */
	static final boolean OBSERVABILITY = present("dev.disposables.boot.actuate.DisposablesEndpoint");

	private Features() {
	}

	private static boolean present(String className) {
		try {
			Class.forName(className, false, Features.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException ex) {
			return false;
		}
	}

}
