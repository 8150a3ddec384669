package dev.disposables.spring;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link DisposalPlan#disposeSync}: a plan that is only {@code AutoCloseable.close()}
 * calls it directly, and behaves exactly as the reflective call of the other plans (the
 * same override runs, the same failure comes out).
 */
class DisposalPlanTests {

	@Test
	void closeOnlyRunsTheMostSpecificOverrideOnce() throws Exception {
		Derived bean = new Derived();
		closePlan(Base.class).disposeSync(bean);
		assertThat(bean.calls).containsExactly("derived");
	}

	@Test
	void closeOnlyThrowsTheCloseFailureItself() throws Exception {
		IOException failure = new IOException("boom");
		assertThatThrownBy(() -> closePlan(Throwing.class).disposeSync(new Throwing(failure))).isSameAs(failure);
		AssertionError error = new AssertionError("error");
		assertThatThrownBy(() -> closePlan(Throwing.class).disposeSync(new Throwing(error))).isSameAs(error);
	}

	@Test
	void closeOnlyCarriesAThrowableThatIsNeitherAnExceptionNorAnError() throws Exception {
		Throwable odd = new Throwable("odd");
		assertThatExceptionOfType(UndeclaredThrowableException.class)
			.isThrownBy(() -> closePlan(Throwing.class).disposeSync(new Throwing(odd)))
			.withCause(odd);
	}

	@Test
	void closeAfterAPreDestroyMethodStillRunsBothInSpringsOrder() throws Exception {
		Derived bean = new Derived();
		Method preDestroy = Derived.class.getDeclaredMethod("preDestroy");
		DisposalPlan plan = DisposalPlan.sync(List.of(preDestroy), false, List.of(Derived.class.getMethod("close")),
				Set.of());
		plan.disposeSync(bean);
		assertThat(bean.calls).containsExactly("preDestroy", "derived");
	}

	private static DisposalPlan closePlan(Class<?> type) throws NoSuchMethodException {
		return DisposalPlan.sync(List.of(), false, List.of(type.getMethod("close")), Set.of());
	}

	static class Base implements AutoCloseable {

		final List<String> calls = new ArrayList<>();

		@Override
		public void close() {
			this.calls.add("base");
		}

	}

	static class Derived extends Base {

		@Override
		public void close() {
			this.calls.add("derived");
		}

		void preDestroy() {
			this.calls.add("preDestroy");
		}

	}

	static class Throwing implements AutoCloseable {

		private final Throwable failure;

		Throwing(Throwable failure) {
			this.failure = failure;
		}

		@Override
		public void close() throws Exception {
			throw Throwing.<RuntimeException>sneaky(this.failure);
		}

		@SuppressWarnings("unchecked")
		private static <T extends Throwable> T sneaky(Throwable failure) throws T {
			throw (T) failure;
		}

	}

}
