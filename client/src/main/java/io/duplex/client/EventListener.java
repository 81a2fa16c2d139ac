package io.duplex.client;

/**
 * The DOM's {@code EventListener}: a callback for events of one type. Listeners are compared by identity:
 * adding the same listener object twice for the same type registers it once.
 *
 * <p>Threading: a {@link WebSocket} calls its listeners on its event executor, one event at a time, never
 * concurrently.
 *
 * @param <E> the event class this listener receives
 */
@FunctionalInterface
public interface EventListener<E extends Event> {

    /**
     * Handles an event. An exception thrown here is reported (through {@link System.Logger}) and does not
     * stop the other listeners, as the DOM's "report the exception" does.
     *
     * @param event the event
     */
    void handleEvent(E event);
}
