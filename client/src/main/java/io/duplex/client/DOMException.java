package io.duplex.client;

/**
 * The web platform's {@code DOMException}, as {@link WebSocket} throws it: an unchecked exception with a
 * {@link #name()} ("SyntaxError", "InvalidAccessError", "InvalidStateError") and the legacy numeric
 * {@link #code()} that the WebIDL table gives those names.
 *
 * <p>Threading: immutable.
 */
public class DOMException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** WebIDL's legacy code of "InvalidStateError". */
    public static final int INVALID_STATE_ERR = 11;
    /** WebIDL's legacy code of "SyntaxError". */
    public static final int SYNTAX_ERR = 12;
    /** WebIDL's legacy code of "InvalidAccessError". */
    public static final int INVALID_ACCESS_ERR = 15;

    private final String name;

    /**
     * Creates an exception with a message and a name, as {@code new DOMException(message, name)} does.
     *
     * @param message what happened, naming the observed value and the rule
     * @param name the error name, e.g. "SyntaxError"
     */
    public DOMException(String message, String name) {
        super(message);
        this.name = name == null ? "Error" : name;
    }

    /**
     * A "SyntaxError": an argument does not parse (a URL, a protocol token, a reason too long).
     *
     * @param message what was wrong
     * @return the exception
     */
    public static DOMException syntaxError(String message) {
        return new DOMException(message, "SyntaxError");
    }

    /**
     * An "InvalidAccessError": an argument is not allowed (a close code outside 1000 and 3000-4999).
     *
     * @param message what was wrong
     * @return the exception
     */
    public static DOMException invalidAccessError(String message) {
        return new DOMException(message, "InvalidAccessError");
    }

    /**
     * An "InvalidStateError": the object is in the wrong state (send while CONNECTING).
     *
     * @param message what was wrong
     * @return the exception
     */
    public static DOMException invalidStateError(String message) {
        return new DOMException(message, "InvalidStateError");
    }

    /** @return the error name, e.g. "SyntaxError" */
    public String name() {
        return name;
    }

    /** @return the legacy code for the name (WebIDL's table), or 0 for names without one */
    public int code() {
        return switch (name) {
            case "InvalidStateError" -> INVALID_STATE_ERR;
            case "SyntaxError" -> SYNTAX_ERR;
            case "InvalidAccessError" -> INVALID_ACCESS_ERR;
            default -> 0;
        };
    }

    @Override
    public String toString() {
        return "DOMException " + name + ": " + getMessage();
    }
}
