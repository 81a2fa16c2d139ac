package io.duplex.client;

import java.util.Objects;

/**
 * The DOM's {@code Event}: what {@link EventTarget#dispatchEvent} delivers to listeners. A {@link WebSocket}
 * fires plain events of type "open" and "error", {@link MessageEvent}s of type "message" and {@link
 * CloseEvent}s of type "close".
 *
 * <p>Threading: the type is immutable; the target is set once, when the event is dispatched, before any
 * listener sees it.
 */
public sealed class Event permits MessageEvent, CloseEvent {

    private final String type;
    private volatile EventTarget target;

    /**
     * Creates an event, as {@code new Event(type)} does.
     *
     * @param type the event type, e.g. "open"
     */
    public Event(String type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    /** @return the event type, e.g. "open", "message", "error", "close" */
    public String type() {
        return type;
    }

    /** @return the object the event was dispatched on, or null before dispatch */
    public EventTarget target() {
        return target;
    }

    /** @return the same as {@link #target()}: events here do not propagate */
    public EventTarget currentTarget() {
        return target;
    }

    void target(EventTarget target) {
        this.target = target;
    }

    @Override
    public String toString() {
        return "Event[type=" + type + "]";
    }
}
