package dev.disposables.spring.conformance;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanNameAware;

/**
 * Base of the suite's beans: knows its instance name in the current run and records its
 * destruction callbacks in the {@link CallbackJournal}. A callback releases state
 * ({@link #open}) the way a real resource would, so a callback invoked on a CGLIB proxy
 * (whose fields were never initialized) fails with a {@link NullPointerException}, as the
 * user's code would, and the target is never released.
 */
public abstract class Tracked implements BeanNameAware, Serializable {

	private static final long serialVersionUID = 1L;

	/** Restored sessions record into the journal current when they are destroyed. */
	private transient @Nullable CallbackJournal journal = CallbackJournal.current();

	private @Nullable String instance;

	private final AtomicBoolean open = new AtomicBoolean(true);

	@Override
	public void setBeanName(String name) {
		if (this.instance == null) {
			this.instance = journal().created(name);
		}
	}

	/**
	 * A copy restored from a serialized session is another instance than the one that was
	 * serialized (which may still be reachable, and destroyed on its own): it is named
	 * {@code beanName#n'}.
	 */
	private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
		in.defaultReadObject();
		if (this.instance != null) {
			this.instance = journal().restoredCopyOf(this.instance);
		}
	}

	/** This instance's name in the run, {@code beanName#n}. */
	public @Nullable String instance() {
		return this.instance;
	}

	public boolean isOpen() {
		return this.open.get();
	}

	private CallbackJournal journal() {
		CallbackJournal own = this.journal;
		return (own != null) ? own : CallbackJournal.current();
	}

	/**
	 * Records a destruction callback around its work.
	 * @param kind the callback
	 * @param workMillis simulated work, to make overlaps visible
	 */
	protected final void callback(String kind, long workMillis) {
		record(this, this.journal, this.instance, this.open, kind, workMillis);
	}

	/**
	 * The same for beans that cannot extend this class (an {@code ExecutorService}).
	 */
	static void record(Object self, @Nullable CallbackJournal ownJournal, @Nullable String instance,
			@Nullable AtomicBoolean open, String kind, long workMillis) {
		boolean onProxy = AopUtils.isAopProxy(self);
		CallbackJournal journal = (ownJournal != null) ? ownJournal : CallbackJournal.current();
		long start = journal.tick();
		String failure = null;
		try {
			if (workMillis > 0) {
				Thread.sleep(workMillis); // simulated work
			}
			open.set(false); // a proxy has no state: NullPointerException, as in a real
								// bean
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			failure = ex.toString();
		}
		catch (RuntimeException ex) {
			failure = ex.toString();
			throw ex;
		}
		finally {
			String name = onProxy ? CallbackJournal.ON_PROXY : ((instance != null) ? instance : "unnamed");
			journal.record(new CallbackJournal.Callback(name, kind, onProxy, Thread.currentThread().getName(), start,
					journal.tick(), failure));
		}
	}

}
