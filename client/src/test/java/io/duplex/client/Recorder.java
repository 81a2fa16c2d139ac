package io.duplex.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records a socket's events as strings ("open", "message:hello", "message:blob:3", "error",
 * "close:1000:clean"), checks that no two listener calls overlap, and waits for the close event.
 */
final class Recorder {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final List<String> events = new CopyOnWriteArrayList<>();
    final List<MessageEvent> messages = new CopyOnWriteArrayList<>();
    final CompletableFuture<CloseEvent> close = new CompletableFuture<>();
    final AtomicInteger inside = new AtomicInteger();
    volatile boolean overlapped;
    volatile int readyStateAtOpen = -1;
    volatile int readyStateAtClose = -1;

    /** Registers on a builder, so no event can be missed; connect with {@link WebSocket.Builder#connect()}. */
    static Recorder on(WebSocket.Builder ws) {
        Recorder r = new Recorder();
        ws.addEventListener("open", e -> r.record(() -> {
            r.readyStateAtOpen = ((WebSocket) e.target()).readyState();
            r.events.add("open");
        }));
        ws.addEventListener("message", e -> r.record(() -> {
            MessageEvent m = (MessageEvent) e;
            r.messages.add(m);
            r.events.add("message:" + describe(m.data()));
        }));
        ws.addEventListener("error", e -> r.record(() -> r.events.add("error")));
        ws.addEventListener("close", e -> r.record(() -> {
            CloseEvent c = (CloseEvent) e;
            r.readyStateAtClose = ((WebSocket) e.target()).readyState();
            r.events.add("close:" + c.code() + ":" + (c.wasClean() ? "clean" : "unclean"));
            r.close.complete(c);
        }));
        return r;
    }

    static String describe(Object data) {
        return switch (data) {
            case String s -> s;
            case Blob b -> "blob:" + b.size();
            case ByteBuffer b -> "arraybuffer:" + b.remaining();
            default -> "?" + data;
        };
    }

    private void record(Runnable action) {
        if (inside.incrementAndGet() != 1) {
            overlapped = true;
        }
        try {
            action.run();
        } finally {
            inside.decrementAndGet();
        }
    }

    CloseEvent awaitClose() throws Exception {
        CloseEvent c = close.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(overlapped).as("listener calls overlapped").isFalse();
        return c;
    }
}
