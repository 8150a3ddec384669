package dev.disposables;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class DisposableStackProperties {

	@Provide
	Arbitrary<List<Member>> members() {
		return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.of(true, false))
			.as(Member::new)
			.list()
			.ofMaxSize(15);
	}

	@Property(tries = 200)
	void disposesInExactReverseOrderOnceEachAndReportsTheFirstFailure(@ForAll("members") List<Member> members) {
		Recorder recorder = new Recorder();
		DisposableStack stack = new DisposableStack();
		List<MemberFailure> failures = new ArrayList<>();
		for (int i = 0; i < members.size(); i++) {
			Member member = members.get(i);
			MemberFailure failure = member.fails() ? new MemberFailure(i) : null;
			failures.add(failure);
			String name = String.valueOf(i);
			switch (member.kind()) {
				case USE -> stack.use(recorder.sync(name, failure));
				case ADOPT -> stack.adopt(name, (v) -> recorder.sync(v, failure).close());
				case DEFER -> stack.defer(() -> recorder.sync(name, failure).close());
			}
		}

		Throwable thrown = catchThrowable(stack::close);

		List<String> expectedEvents = new ArrayList<>();
		List<Throwable> expectedFailures = new ArrayList<>();
		for (int i = members.size() - 1; i >= 0; i--) {
			expectedEvents.add("close:" + i);
			if (failures.get(i) != null) {
				expectedFailures.add(failures.get(i));
			}
		}
		assertThat(recorder.events()).containsExactlyElementsOf(expectedEvents);
		if (expectedFailures.isEmpty()) {
			assertThat(thrown).isNull();
		}
		else {
			assertThat(thrown).isSameAs(expectedFailures.get(0));
			assertThat(thrown.getSuppressed())
				.containsExactlyElementsOf(expectedFailures.subList(1, expectedFailures.size()));
		}
		assertThat(catchThrowable(stack::close)).isNull(); // a second close() is a no-op
		assertThat(recorder.events()).hasSize(members.size());
	}

	enum Kind {

		USE, ADOPT, DEFER

	}

	record Member(Kind kind, boolean fails) {
	}

	static final class MemberFailure extends Exception {

		private static final long serialVersionUID = 1L;

		MemberFailure(int index) {
			super("member " + index);
		}

	}

}
