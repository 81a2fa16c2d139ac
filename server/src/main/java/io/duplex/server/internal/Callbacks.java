package io.duplex.server.internal;

import io.duplex.server.WebSocketHandler;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

/**
 * Runs a socket's handler callbacks where its route says: inline on the loop, or in order on the socket's
 * {@link SerialExecutor}. A callback that throws is reported to the socket ({@link
 * WebSocketSession#handlerFailed}, which calls onError and closes with 1011), on the thread the callback ran
 * on; exceptions from onError and onClose themselves are only logged, so a failing handler cannot loop.
 * Nothing here is kept per socket: the handler and the executor are the socket's.
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

    private Callbacks() {
    }

    /** Runs {@code callback} after those delivered before it; {@code bytes} counts toward the executor's bound. */
    static void deliver(WebSocketSession socket, Callback callback, Kind kind, long bytes) {
        SerialExecutor executor = socket.executor();
        if (executor == null) {
            invoke(socket, callback, kind);
        } else {
            executor.submit(() -> invoke(socket, callback, kind), bytes);
        }
    }

    /** Runs {@code task} (not a handler call) after every callback delivered before it. */
    static void after(SerialExecutor executor, Runnable task) {
        if (executor == null) {
            task.run();
        } else {
            executor.submit(task, 0);
        }
    }

    /** onText, delivered as {@link #deliver} would. */
    static void text(WebSocketSession socket, String text) {
        if (socket.executor() != null) {
            deliver(socket, h -> h.onText(socket, text), Kind.EVENT, text.length());
            return;
        }
        // On the loop, called directly: deliver would take a capturing lambda, one object per message.
        try {
            socket.route().handler().onText(socket, text);
        } catch (Throwable t) {
            eventFailed(socket, t);
        }
    }

    /** onBinary, delivered as {@link #deliver} would. */
    static void binary(WebSocketSession socket, ByteBuffer data) {
        if (socket.executor() != null) {
            deliver(socket, h -> h.onBinary(socket, data), Kind.EVENT, data.remaining());
            return;
        }
        try {
            socket.route().handler().onBinary(socket, data);
        } catch (Throwable t) {
            eventFailed(socket, t);
        }
    }

    /** A regular callback threw {@code t}: onError, then close with 1011. */
    static void eventFailed(WebSocketSession socket, Throwable t) {
        LOG.log(Level.DEBUG, () -> "handler of " + socket.route().path() + " threw: " + t);
        socket.handlerFailed(t);
    }

    /** Calls the socket's handler now, on this thread. */
    static void invoke(WebSocketSession socket, Callback callback, Kind kind) {
        RouteConfig route = socket.route();
        try {
            callback.call(route.handler());
        } catch (Throwable t) {
            switch (kind) {
                case EVENT -> eventFailed(socket, t);
                case ERROR, CLOSE -> LOG.log(Level.WARNING, "handler of " + route.path() + " threw from "
                        + (kind == Kind.ERROR ? "onError" : "onClose"), t);
            }
        }
    }
}
