package dev.disposables;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectDisposedExceptionTests {

	@Test
	void namesTheObject() {
		ObjectDisposedException exception = new ObjectDisposedException("com.acme.Db");

		assertThat(exception).isInstanceOf(IllegalStateException.class)
			.hasMessage("Cannot access a disposed object: com.acme.Db");
		assertThat(exception.getObjectName()).isEqualTo("com.acme.Db");
	}

	@Test
	void acceptsACustomMessage() {
		ObjectDisposedException exception = new ObjectDisposedException("pool", "Pool is shut down");

		assertThat(exception).hasMessage("Pool is shut down");
		assertThat(exception.getObjectName()).isEqualTo("pool");
	}

}
