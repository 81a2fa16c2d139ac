package io.duplex.cli.internal;

import io.duplex.client.BinaryType;
import io.duplex.client.Blob;
import io.duplex.client.CloseEvent;
import io.duplex.client.DOMException;
import io.duplex.client.MessageEvent;
import io.duplex.client.WebSocket;
import io.duplex.core.Limits;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code duplex conformance-client URL}: the client side of a fuzzing test server's suite, the standard
 * three-step driver.
 *
 * <ol>
 *   <li>{@code URL/getCaseCount}: the server sends the number of cases N as one text message, then closes.</li>
 *   <li>For each case i in 1..N, {@code URL/runCase?case=i&agent=NAME}: every message received is sent back
 *       as it came (text as text, binary as binary) until the server closes, or until the per-case timeout,
 *       when the client starts the closing handshake itself.</li>
 *   <li>{@code URL/updateReports?agent=NAME}: the server writes its reports, then closes.</li>
 * </ol>
 * The server judges the cases; the client only reports, one line per case (its close code and how long it
 * took), then a summary. It exits 0 when every case ran, 1 when a connection could not be made (the case
 * count, a case, or the reports), 2 for bad usage.
 *
 * <p>Every connection is a plain {@link WebSocket}, as a page would open it, with the limits raised for the
 * suite's largest messages ({@code --max-message}, 64 MiB by default) and no compression offered (Duplex has
 * none yet).
 *
 * <p>Threading: picocli fills the options, then {@link #call()} runs the cases one after the other on the
 * caller's thread; each socket's listeners run on its own event executor.
 */
@Command(name = "conformance-client",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Runs a fuzzing test server's client cases: reads the case count from URL/getCaseCount,",
            "echoes every message of URL/runCase?case=i&agent=NAME for each case, then asks",
            "URL/updateReports?agent=NAME to write the reports. The server judges the results."
        })
public final class ConformanceClientCommand implements Callable<Integer> {

    /** The default per-case timeout in seconds. */
    public static final int DEFAULT_CASE_TIMEOUT_SECONDS = 60;

    /** The default frame and message limit: room for the suites' largest messages (16 MiB and more). */
    public static final String DEFAULT_MAX_MESSAGE = "64MiB";

    // After close() on a timeout: the client's close timer (RFC 6455 7.1.1) bounds the handshake.
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL",
            description = "The fuzzing server's base URL, for example ws://127.0.0.1:9001.")
    private String url;

    @Option(names = "--agent", paramLabel = "NAME",
            description = "The name the server files the results under (default: Duplex/<version>).")
    private String agent;

    @Option(names = "--case-timeout", paramLabel = "SECONDS", defaultValue = "" + DEFAULT_CASE_TIMEOUT_SECONDS,
            description = "Longest a case may run before the client closes it (default: ${DEFAULT-VALUE}).")
    private int caseTimeoutSeconds;

    @Option(names = "--max-message", paramLabel = "SIZE", converter = ByteSize.class,
            defaultValue = DEFAULT_MAX_MESSAGE,
            description = "Largest frame and message accepted (default: ${DEFAULT-VALUE}); e.g. 16m, 64MiB.")
    private long maxMessage;

    /** Creates the command (picocli instantiates it and fills the options). */
    public ConformanceClientCommand() {
    }

    /** How one connection ended, as the client saw it. */
    private record Outcome(boolean opened, boolean timedOut, CloseEvent close, long millis) {

        String describe() {
            StringBuilder line = new StringBuilder();
            if (!opened) {
                line.append("did not open: ").append(why(close));
            } else {
                if (timedOut) {
                    line.append("timed out, closed by the client; ");
                }
                line.append("code ").append(close.code()).append(close.wasClean() ? " clean" : " not clean");
                if (!close.wasClean() && !close.detail().isEmpty()) {
                    line.append(" (").append(close.detail()).append(')');
                }
            }
            return line.append(", ").append(millis).append(" ms").toString();
        }
    }

    /** Runs the three steps; see the class comment. */
    @Override
    public Integer call() throws CommandFailure, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (caseTimeoutSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--case-timeout " + caseTimeoutSeconds
                    + " must be at least 1 second");
        }
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        String name = agent != null ? agent : "Duplex/" + VersionProvider.duplexVersion();
        String agentQuery = "agent=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        long start = System.nanoTime();

        int count = caseCount(base + "/getCaseCount");
        out.println("Running " + count + " cases against " + base + " as agent " + name);
        out.flush();
        int clean = 0;
        int timedOut = 0;
        int notOpened = 0;
        for (int i = 1; i <= count; i++) {
            Outcome outcome = connect(base + "/runCase?case=" + i + "&" + agentQuery, null);
            out.println("case " + i + "/" + count + ": " + outcome.describe());
            out.flush();
            if (!outcome.opened()) {
                notOpened++;
            } else if (outcome.timedOut()) {
                timedOut++;
            } else if (outcome.close().wasClean()) {
                clean++;
            }
        }

        String reportsUrl = base + "/updateReports?" + agentQuery;
        Outcome reports = connect(reportsUrl, null);
        String seconds = String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9);
        out.println(count + " cases in " + seconds + " s: " + clean + " closed cleanly, "
                + (count - clean - timedOut - notOpened) + " not cleanly, " + timedOut + " timed out, " + notOpened
                + " did not open");
        out.flush();
        if (!reports.opened()) {
            throw new CommandFailure("cannot update the reports at " + reportsUrl + ": " + why(reports.close()), null);
        }
        out.println("Reports updated for agent " + name);
        if (notOpened > 0) {
            throw new CommandFailure(notOpened + " of " + count + " cases could not connect", null);
        }
        return 0;
    }

    // Step 1: the first text message is the count; the server then closes.
    private int caseCount(String countUrl) throws CommandFailure, InterruptedException {
        CompletableFuture<String> first = new CompletableFuture<>();
        Outcome outcome = connect(countUrl, first);
        if (!outcome.opened()) {
            throw new CommandFailure("cannot connect to " + countUrl + ": " + why(outcome.close()), null);
        }
        String text = first.getNow(null);
        if (text == null) {
            throw new CommandFailure(countUrl + " sent no case count (closed with code " + outcome.close().code()
                    + ")", null);
        }
        try {
            int count = Integer.parseInt(text.strip());
            if (count >= 0) {
                return count;
            }
        } catch (NumberFormatException e) {
            // reported below, with the text
        }
        throw new CommandFailure(countUrl + " sent '" + abbreviate(text) + "', not a case count", null);
    }

    /**
     * Opens one connection and waits until it closes (or the case timeout, then closes it). With
     * {@code firstText} null every message is echoed; otherwise the first text message completes it and
     * nothing is echoed.
     */
    private Outcome connect(String target, CompletableFuture<String> firstText) throws InterruptedException {
        long start = System.nanoTime();
        Duration caseTimeout = Duration.ofSeconds(caseTimeoutSeconds);
        WebSocket socket;
        try {
            socket = WebSocket.builder(target)
                    .limits(Limits.DEFAULT.withMaxPayload(maxMessage))
                    // An echo is queued whole while the next message arrives: room for two of the largest.
                    .maxBufferedAmount(2 * maxMessage)
                    .connectTimeout(caseTimeout)
                    .closeTimeout(CLOSE_TIMEOUT.compareTo(caseTimeout) < 0 ? CLOSE_TIMEOUT : caseTimeout)
                    // Set in the open task, so no message task can see the default BLOB (as a page would do
                    // in onopen): binary arrives as a ByteBuffer, sent back as it is.
                    .onopen(event -> ((WebSocket) event.target()).binaryType(BinaryType.ARRAYBUFFER))
                    .onmessage(event -> {
                        if (firstText != null) {
                            if (event.data() instanceof String text) {
                                firstText.complete(text);
                            }
                        } else {
                            echo((WebSocket) event.target(), event);
                        }
                    })
                    .connect();
        } catch (DOMException e) {
            throw new ParameterException(spec.commandLine(), "URL '" + url + "' cannot be used: " + e.getMessage());
        }
        CompletableFuture<CloseEvent> closed = socket.closed().toCompletableFuture();
        boolean timedOut = false;
        CloseEvent close;
        try {
            close = closed.get(caseTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            timedOut = true;
            socket.close(1000, "case timeout");
            close = awaitAfterClose(closed);
        } catch (ExecutionException e) {
            throw new IllegalStateException("closed() never completes exceptionally", e);
        }
        boolean opened = socket.opened().toCompletableFuture().isDone()
                && !socket.opened().toCompletableFuture().isCompletedExceptionally();
        return new Outcome(opened, timedOut, close, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    // After close(): the close timer aborts the connection within CLOSE_TIMEOUT; a little more for the task.
    private static CloseEvent awaitAfterClose(CompletableFuture<CloseEvent> closed) throws InterruptedException {
        try {
            return closed.get(CLOSE_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException("the socket did not close within " + CLOSE_TIMEOUT
                    + " of close(), despite its close timer", e);
        }
    }

    private static void echo(WebSocket socket, MessageEvent event) {
        switch (event.data()) {
            case String text -> socket.send(text);
            case ByteBuffer bytes -> socket.send(bytes);
            case Blob blob -> socket.send(blob);
            default -> throw new IllegalStateException("unexpected message data " + event.data().getClass());
        }
    }

    private static String why(CloseEvent close) {
        return close.detail().isEmpty() ? "closed with code " + close.code() : close.detail();
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
