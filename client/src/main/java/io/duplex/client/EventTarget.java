package io.duplex.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The DOM's {@code EventTarget}, with the HTML standard's event handler properties ({@code onopen} and
 * friends) living in the same listener list.
 *
 * <h2>Theory of operation</h2>
 * One ordered list of entries (type, callback, removed flag) per target. The DOM's rules:
 * <ul>
 *   <li>{@link #addEventListener} appends unless the same listener object is already registered for the
 *       type, so a listener added twice runs once (DOM, "add an event listener", step 4).</li>
 *   <li>Dispatch takes a snapshot of the entries for the type, so a listener added during dispatch does
 *       not run for the current event, and skips entries whose removed flag is set, so a listener removed
 *       during dispatch does not run if it has not run yet (DOM, "inner invoke", step 1 and 2.1).</li>
 *   <li>An event handler property (HTML, "event handler" processing): when first set non-null its entry
 *       is appended, so it takes its place in registration order at that time; setting another non-null
 *       value keeps that place and only swaps the callback; setting null removes the entry, and a later
 *       non-null value is appended anew at the end.</li>
 *   <li>An exception from a listener is reported and the other listeners still run (DOM, "inner
 *       invoke": report the exception).</li>
 * </ul>
 *
 * <p>Threading: adding and removing listeners is safe from any thread. {@link #dispatchEvent} runs the
 * listeners on the calling thread; a {@link WebSocket} calls it from its event executor only.
 */
public abstract class EventTarget {

    private static final System.Logger LOG = System.getLogger(EventTarget.class.getName());

    /** One registration: a listener or an event handler property's slot. */
    private static final class Entry {
        final String type;
        final EventListener<?> listener; // null for an event handler property's entry
        volatile boolean removed;

        Entry(String type, EventListener<?> listener) {
            this.type = type;
            this.listener = listener;
        }
    }

    /** An event handler property: its current value and its entry in the list while non-null. */
    private static final class Handler {
        volatile EventListener<?> value;
        Entry entry;
    }

    private final Object lock = new Object();
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Handler> handlers = new HashMap<>();

    /** For subclasses. */
    protected EventTarget() {
    }

    /**
     * Registers {@code listener} for events of {@code type}, at the end of the list, unless it is already
     * registered for that type (compared by identity). A null listener does nothing, as in the DOM.
     *
     * @param type the event type, e.g. "message"
     * @param listener the listener
     */
    public void addEventListener(String type, EventListener<? super Event> listener) {
        Objects.requireNonNull(type, "type");
        if (listener == null) {
            return;
        }
        synchronized (lock) {
            for (Entry e : entries) {
                if (e.listener == listener && e.type.equals(type)) {
                    return; // DOM, "add an event listener" step 4: no duplicate registrations
                }
            }
            entries.add(new Entry(type, listener));
        }
    }

    /**
     * Removes {@code listener} for {@code type} if it is registered; if an event is being dispatched and
     * the listener has not run for it yet, it will not.
     *
     * @param type the event type
     * @param listener the listener
     */
    public void removeEventListener(String type, EventListener<? super Event> listener) {
        if (type == null || listener == null) {
            return;
        }
        synchronized (lock) {
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                if (e.listener == listener && e.type.equals(type)) {
                    e.removed = true; // DOM, "remove an event listener": set removed, then drop it
                    entries.remove(i);
                    return;
                }
            }
        }
    }

    /**
     * Dispatches {@code event} to the listeners for its type, in registration order, on the calling thread.
     *
     * @param event the event; its target becomes this object
     * @return true (events here are not cancelable)
     */
    public boolean dispatchEvent(Event event) {
        event.target(this);
        List<Entry> snapshot = new ArrayList<>();
        synchronized (lock) {
            for (Entry e : entries) {
                if (e.type.equals(event.type())) {
                    snapshot.add(e);
                }
            }
        }
        for (Entry e : snapshot) {
            if (e.removed) {
                continue;
            }
            EventListener<?> callback = e.listener != null ? e.listener : handlerValue(e.type);
            if (callback != null) {
                invoke(callback, event);
            }
        }
        return true;
    }

    /**
     * The value of an event handler property.
     *
     * @param type the event type, e.g. "open" for {@code onopen}
     * @return the handler, or null
     */
    final EventListener<?> eventHandler(String type) {
        synchronized (lock) {
            Handler h = handlers.get(type);
            return h == null ? null : h.value;
        }
    }

    /**
     * Sets an event handler property (HTML, "event handler" IDL attribute setter).
     *
     * @param type the event type, e.g. "open" for {@code onopen}
     * @param value the handler, or null to remove it
     */
    final void eventHandler(String type, EventListener<?> value) {
        synchronized (lock) {
            Handler h = handlers.computeIfAbsent(type, t -> new Handler());
            if (value == null) {
                // HTML, "deactivate an event handler": remove its listener, so a later value goes last
                if (h.entry != null) {
                    h.entry.removed = true;
                    entries.remove(h.entry);
                    h.entry = null;
                }
                h.value = null;
                return;
            }
            h.value = value;
            if (h.entry == null) {
                // HTML, "activate an event handler": the listener is appended when first set non-null
                h.entry = new Entry(type, null);
                entries.add(h.entry);
            }
        }
    }

    private EventListener<?> handlerValue(String type) {
        synchronized (lock) {
            Handler h = handlers.get(type);
            return h == null ? null : h.value;
        }
    }

    @SuppressWarnings("unchecked")
    private void invoke(EventListener<?> callback, Event event) {
        try {
            ((EventListener<Event>) callback).handleEvent(event);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            // DOM, "inner invoke": report the exception and go on with the next listener
            LOG.log(System.Logger.Level.WARNING, "listener for \"" + event.type() + "\" threw", t);
        }
    }
}
