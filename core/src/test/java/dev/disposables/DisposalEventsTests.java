package dev.disposables;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Disposals started by any path of the core API are announced, once, and a listener can
 * never fail a disposal.
 */
class DisposalEventsTests {

	private final List<Object> announced = new CopyOnWriteArrayList<>();

	@Test
	void disposableBaseAnnouncesItsDisposalOnceWhicheverCallStartsIt() throws Exception {
		try (DisposalEvents.Subscription subscription = DisposalEvents.subscribe(this.announced::add)) {
			Resource closed = new Resource();
			closed.close();
			closed.close();
			Resource disposed = new Resource();
			disposed.disposeAsync().toCompletableFuture().join();
			assertThat(this.announced).containsExactly(closed, disposed);
		}
	}

	@Test
	void stacksAnnounceThemselvesAndEveryMemberTheyUse() throws Exception {
		try (DisposalEvents.Subscription subscription = DisposalEvents.subscribe(this.announced::add)) {
			AutoCloseable member = () -> {
			};
			DisposableStack stack = new DisposableStack();
			stack.use(member);
			stack.close();
			AutoCloseable asyncMember = () -> {
			};
			AsyncDisposableStack asyncStack = new AsyncDisposableStack();
			asyncStack.use(asyncMember);
			asyncStack.close();
			assertThat(this.announced).containsExactly(stack, member, asyncStack, asyncMember);
		}
	}

	@Test
	void aListenerThatThrowsNeverFailsTheDisposal() throws Exception {
		try (DisposalEvents.Subscription subscription = DisposalEvents.subscribe((instance) -> {
			throw new IllegalStateException("listener");
		})) {
			Resource resource = new Resource();
			resource.close();
			assertThat(resource.disposals).isEqualTo(1);
		}
	}

	@Test
	void aClosedSubscriptionHearsNothing() throws Exception {
		DisposalEvents.subscribe(this.announced::add).close();
		new Resource().close();
		assertThat(this.announced).isEmpty();
	}

	static class Resource extends DisposableBase {

		int disposals;

		@Override
		protected void disposeCore() {
			this.disposals++;
		}

	}

}
