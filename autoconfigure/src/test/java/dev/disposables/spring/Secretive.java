package dev.disposables.spring;

/**
 * A disposable whose {@code toString()} holds a secret, for the tests that check a
 * report, a log line or a failure message never prints an instance: they name bean and
 * type only.
 */
class Secretive implements AutoCloseable {

	static final String SECRET = "password=hunter2";

	@Override
	public void close() {
	}

	@Override
	public String toString() {
		return SECRET;
	}

}
