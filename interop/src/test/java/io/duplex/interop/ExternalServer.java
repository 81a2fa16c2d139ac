package io.duplex.interop;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the echo servers in this module's {@code node/}, {@code python/} and {@code go/} folders, running
 * as a child process for the Duplex client to talk to.
 *
 * <p>The servers follow one contract (their header comments state it): they listen on 127.0.0.1 and a free
 * port, print {@code listening PORT DESCRIPTION} first, print {@code closed PATH CODE REASON} whenever a
 * connection ends (the close code the server received), and exit when their standard input closes. Their
 * stdout lines are collected by a virtual thread; stderr goes to a temporary file that failure messages
 * quote.
 *
 * <p>Threading: {@link #awaitClosed} is called from the test thread; the collector thread only adds lines.
 */
final class ExternalServer implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening (\\d+) (.+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final List<String> command;
    private final Process process;
    private final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final int port;
    private final String description;

    private ExternalServer(List<String> command, Map<String, String> environment, String missingToolHint)
            throws IOException, InterruptedException {
        this.command = List.copyOf(command);
        this.stderr = Files.createTempFile("duplex-interop-server-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(ExternalClient.moduleDir().toFile())
                .redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            Files.deleteIfExists(stderr);
            throw new AssertionError("cannot start " + command.getFirst() + ": " + e.getMessage() + "\n"
                    + missingToolHint, e);
        }
        InputStream out = process.getInputStream();
        Thread.ofVirtual().name("interop-server-stdout").start(() -> collect(out));
        String first = lines.poll(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Matcher listening = first == null ? null : LISTENING.matcher(first);
        if (listening == null || !listening.matches()) {
            String story = describe(first == null ? "no line within " + START_TIMEOUT : "first line: " + first);
            close();
            throw new AssertionError("the server did not start\n" + story + "\n" + missingToolHint);
        }
        this.port = Integer.parseInt(listening.group(1));
        this.description = listening.group(2);
    }

    /**
     * Starts {@code command} in this module's folder and waits for its {@code listening} line.
     *
     * @param environment variables to add to the inherited environment
     * @param missingToolHint what to tell the reader when the program cannot start or dies at once
     */
    static ExternalServer start(List<String> command, Map<String, String> environment, String missingToolHint)
            throws IOException, InterruptedException {
        return new ExternalServer(command, environment, missingToolHint);
    }

    private void collect(InputStream out) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(stdout failed: " + e + ")");
        }
    }

    /** The port the server listens on. */
    int port() {
        return port;
    }

    /** What the server said it is, for example "ws 8.23.0 on Node.js 20.20.2". */
    String description() {
        return description;
    }

    /** A ws:// URL on the server; {@code path} names the connection in the server's {@code closed} line. */
    String url(String path) {
        return "ws://127.0.0.1:" + port + path;
    }

    /** How the server saw the connection to {@code path} end: {@code CODE REASON}, waiting up to 10 s. */
    String awaitClosed(String path) throws InterruptedException {
        String prefix = "closed " + path + " ";
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        while (true) {
            for (String line : seen) {
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length());
                }
            }
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                return fail("the server printed no 'closed " + path + "' line within " + CLOSE_TIMEOUT + "\n"
                        + describe("lines so far: " + seen));
            }
            seen.add(line);
        }
    }

    /** The command, whether it still runs, and its stderr, for failure messages. */
    String describe(String what) {
        String err;
        try {
            err = Files.readString(stderr, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            err = "(unreadable: " + e + ")";
        }
        return "command: " + String.join(" ", command) + "\n" + what + "\n"
                + (process.isAlive() ? "still running" : "exited with " + process.exitValue())
                + "\n--- stderr ---\n" + err;
    }

    /** Closes the server's stdin (it exits), then kills it if it has not exited within 5 s. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Already gone: the kill below is all that is left to do.
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(stderr);
        } catch (IOException e) {
            // A temp file left behind is harmless.
        }
    }
}
