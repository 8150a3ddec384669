package dev.disposables;

/**
 * Thrown when an object is used after its disposal has started: the Java counterpart of
 * .NET's {@code ObjectDisposedException}.
 *
 * <pre>{@code
 * public Row query(String sql) {
 *     throwIfDisposed(); // throws ObjectDisposedException("Cannot access a disposed object: com.acme.Db")
 *     return connection.query(sql);
 * }
 * }</pre>
 *
 * <p>
 * The object is named by a name chosen by the object (by default its class name), never
 * by its {@code toString()}, which might reveal credentials or other secrets.
 *
 * @since 0.1.0
 */
public class ObjectDisposedException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	/** The name of the disposed object; {@code null} when unknown. */
	private final String objectName;

	/**
	 * Creates an exception with the message
	 * {@code "Cannot access a disposed object: <name>"}.
	 * @param objectName the name of the disposed object, for example its class name; may
	 * be {@code null} when unknown
	 */
	public ObjectDisposedException(String objectName) {
		this(objectName, "Cannot access a disposed object: " + objectName);
	}

	/**
	 * Creates an exception with a custom message.
	 * @param objectName the name of the disposed object; may be {@code null} when unknown
	 * @param message the detail message
	 */
	public ObjectDisposedException(String objectName, String message) {
		super(message);
		this.objectName = objectName;
	}

	/**
	 * Returns the name of the disposed object.
	 * @return the name given at construction; may be {@code null}
	 */
	public String getObjectName() {
		return this.objectName;
	}

}
