package io.duplex.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DOM's listener rules and the HTML standard's event handler properties. */
class EventTargetTest {

    /** A target with two handler properties, as WebSocket has four. */
    static final class Target extends EventTarget {
        void onfoo(EventListener<Event> h) {
            eventHandler("foo", h);
        }

        EventListener<?> onfoo() {
            return eventHandler("foo");
        }
    }

    private final Target target = new Target();
    private final List<String> calls = new ArrayList<>();

    private EventListener<Event> record(String name) {
        return e -> calls.add(name);
    }

    @Test
    void listenerAddedTwiceRunsOnce() {
        EventListener<Event> a = record("a");
        target.addEventListener("foo", a);
        target.addEventListener("foo", a);
        target.dispatchEvent(new Event("foo"));
        assertThat(calls).containsExactly("a");
    }

    @Test
    void sameListenerForTwoTypesRunsForEach() {
        EventListener<Event> a = record("a");
        target.addEventListener("foo", a);
        target.addEventListener("bar", a);
        target.dispatchEvent(new Event("foo"));
        target.dispatchEvent(new Event("bar"));
        assertThat(calls).containsExactly("a", "a");
    }

    @Test
    void listenersRunInRegistrationOrderAndOnlyForTheirType() {
        target.addEventListener("foo", record("a"));
        target.addEventListener("bar", record("x"));
        target.addEventListener("foo", record("b"));
        target.dispatchEvent(new Event("foo"));
        assertThat(calls).containsExactly("a", "b");
    }

    @Test
    void handlerPropertyTakesItsPlaceWhenFirstSetNonNull() {
        target.addEventListener("foo", record("a"));
        target.onfoo(record("handler"));
        target.addEventListener("foo", record("b"));
        target.dispatchEvent(new Event("foo"));
        assertThat(calls).containsExactly("a", "handler", "b");
    }

    @Test
    void replacingTheHandlerKeepsItsPlace() {
        target.onfoo(record("first"));
        target.addEventListener("foo", record("a"));
        target.onfoo(record("second"));
        target.dispatchEvent(new Event("foo"));
        assertThat(calls).containsExactly("second", "a");
    }

    @Test
    void settingTheHandlerToNullRemovesItAndALaterValueGoesLast() {
        target.onfoo(record("first"));
        target.addEventListener("foo", record("a"));
        target.onfoo(null);
        assertThat(target.onfoo()).isNull();
        target.dispatchEvent(new Event("foo"));
        assertThat(calls).containsExactly("a");
        calls.clear();
        target.onfoo(record("again"));
        target.dispatchEvent(new Event("foo"));
        assertThat(calls).containsExactly("a", "again");
    }

    @Test
    void handlerGetterReturnsWhatWasSet() {
        EventListener<Event> h = record("h");
        target.onfoo(h);
        assertThat(target.onfoo()).isSameAs(h);
    }

    @Test
    void removeEventListenerRemovesOnlyThatRegistration() {
        EventListener<Event> a = record("a");
        target.addEventListener("foo", a);
        target.addEventListener("bar", a);
        target.removeEventListener("foo", a);
        target.removeEventListener("foo", record("never added"));
        target.dispatchEvent(new Event("foo"));
        target.dispatchEvent(new Event("bar"));
        assertThat(calls).containsExactly("a");
    }

    @Test
    void listenerRemovedDuringDispatchDoesNotRunIfNotYetRun() {
        EventListener<Event> b = record("b");
        target.addEventListener("foo", e -> {
            calls.add("a");
            target.removeEventListener("foo", b);
        });
        target.addEventListener("foo", b);
        target.dispatchEvent(new Event("foo"));
        assertThat(calls).containsExactly("a");
    }

    @Test
    void handlerSetToNullDuringDispatchDoesNotRun() {
        target.addEventListener("foo", e -> {
            calls.add("a");
            target.onfoo(null);
        });
        target.onfoo(record("handler"));
        target.dispatchEvent(new Event("foo"));
        assertThat(calls).containsExactly("a");
    }

    @Test
    void listenerAddedDuringDispatchRunsFromTheNextEvent() {
        target.addEventListener("foo", e -> {
            calls.add("a");
            target.addEventListener("foo", record("late"));
        });
        target.dispatchEvent(new Event("foo"));
        assertThat(calls).containsExactly("a");
        target.dispatchEvent(new Event("foo"));
        assertThat(calls).containsExactly("a", "a", "late");
    }

    @Test
    void exceptionInAListenerIsReportedAndTheOthersStillRun() {
        target.addEventListener("foo", e -> {
            throw new IllegalStateException("boom (expected by this test)");
        });
        target.addEventListener("foo", record("b"));
        target.dispatchEvent(new Event("foo"));
        assertThat(calls).containsExactly("b");
    }

    @Test
    void dispatchSetsTheTarget() {
        Event event = new Event("foo");
        assertThat(event.target()).isNull();
        target.addEventListener("foo", e -> calls.add(e.target() == target ? "target ok" : "wrong target"));
        assertThat(target.dispatchEvent(event)).isTrue();
        assertThat(calls).containsExactly("target ok");
        assertThat(event.currentTarget()).isSameAs(target);
    }

    @Test
    void nullListenerIsIgnored() {
        target.addEventListener("foo", null);
        target.removeEventListener("foo", null);
        target.dispatchEvent(new Event("foo"));
        assertThat(calls).isEmpty();
    }
}
