package io.duplex.server.internal;

import io.duplex.server.WebSocketHandler;
import java.lang.System.Logger.Level;
import java.util.function.Consumer;

/**
 * Runs one socket's handler callbacks where its route says: inline on the loop, or in order on the
 * socket's {@link SerialExecutor}. A callback that throws is reported to the socket's failure action (which
 * calls onError and closes with 1011), on the thread the callback ran on; exceptions from onError and
 * onClose themselves are only logged, so a failing handler cannot loop.
 *
 * <p>Threading: {@link #deliver} on the socket's loop; the callbacks run on the loop or the executor's
 * virtual thread.
 */
final class Callbacks {

    private static final System.Logger LOG = System.getLogger(Callbacks.class.getName());

    /** What a callback is, for what its exception means. */
    enum Kind {
        /** A regular callback: an exception fails the socket. */
        EVENT,
        /** onError: an exception is logged. */
        ERROR,
        /** onClose: an exception is logged. */
        CLOSE
    }

    /** One call into the handler. */
    @FunctionalInterface
    interface Callback {
        /** Calls {@code handler}. */
        void call(WebSocketHandler handler);
    }

    private final WebSocketHandler handler;
    private final String routePath;
    private final SerialExecutor executor;
    private final Consumer<Throwable> onFailure;

    /**
     * @param handler the route's handler
     * @param routePath the route, for log messages
     * @param executor the socket's serial executor, or null to run callbacks inline
     * @param onFailure what to do when an EVENT callback throws, on the callback's thread
     */
    Callbacks(WebSocketHandler handler, String routePath, SerialExecutor executor, Consumer<Throwable> onFailure) {
        this.handler = handler;
        this.routePath = routePath;
        this.executor = executor;
        this.onFailure = onFailure;
    }

    /** Runs {@code callback} after those delivered before it; {@code bytes} counts toward the executor's bound. */
    void deliver(Callback callback, Kind kind, long bytes) {
        if (executor == null) {
            invoke(callback, kind);
        } else {
            executor.submit(() -> invoke(callback, kind), bytes);
        }
    }

    /** Runs {@code task} (not a handler call) after every callback delivered before it. */
    void after(Runnable task) {
        if (executor == null) {
            task.run();
        } else {
            executor.submit(task, 0);
        }
    }

    /** Calls the handler now, on this thread. */
    void invoke(Callback callback, Kind kind) {
        try {
            callback.call(handler);
        } catch (Throwable t) {
            switch (kind) {
                case EVENT -> {
                    LOG.log(Level.DEBUG, () -> "handler of " + routePath + " threw: " + t);
                    onFailure.accept(t);
                }
                case ERROR, CLOSE -> LOG.log(Level.WARNING, "handler of " + routePath + " threw from "
                        + (kind == Kind.ERROR ? "onError" : "onClose"), t);
            }
        }
    }
}
