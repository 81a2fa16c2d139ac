package io.duplex.cli.internal;

/**
 * A command failed for a reason the user can act on; its message is the whole line printed on stderr
 * (after "duplex: "), so it names the value at fault, for example
 * "cannot listen on 127.0.0.1:8080: Address already in use". Exit code 1.
 *
 * <p>Threading: immutable.
 */
public final class CommandFailure extends Exception {

    /**
     * @param message the line for the user
     * @param cause the underlying exception, or null
     */
    public CommandFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
