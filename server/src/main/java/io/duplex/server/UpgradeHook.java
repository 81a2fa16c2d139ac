package io.duplex.server;

/**
 * Decides whether a route accepts an upgrade request: authentication, subprotocol choice, per-connection
 * data. Runs after the origin policy has passed.
 *
 * <p>Threading: runs on the connection's event loop (must not block) or, with
 * {@link HandlerExecution#VIRTUAL_THREAD}, on the connection's virtual thread (may block). An exception
 * answers 500.
 */
@FunctionalInterface
public interface UpgradeHook {

    /** The default: accept, choosing no subprotocol. */
    UpgradeHook ACCEPT = request -> UpgradeDecision.accept();

    /** Accepts or rejects {@code request}. */
    UpgradeDecision decide(UpgradeRequest request);
}
