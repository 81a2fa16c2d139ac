package io.duplex.transport.internal;

/**
 * What a loop's selection keys carry as attachment: a connection or a listener.
 *
 * <p>Threading: both methods are called on the owning loop's thread only.
 */
interface IoHandle {

    /** The selector reported {@code readyOps} for this handle's channel. */
    void onReady(int readyOps);

    /** The loop is shutting down: abort (connections) or close (listeners) now. */
    void onLoopShutdown();
}
