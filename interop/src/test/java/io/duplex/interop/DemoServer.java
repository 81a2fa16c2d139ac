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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command-line tool's demo server, {@code java -jar cli/target/duplex.jar serve --port 0}, run
 * as a child process: the port comes from the first line it prints,
 * {@code Duplex listening on ws://127.0.0.1:PORT/}.
 *
 * <p>Threading: one test thread starts and closes it; two daemon threads drain its output.
 */
final class DemoServer implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Duplex listening on ws://127\\.0\\.0\\.1:(\\d+)/");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final int port;

    private DemoServer(Path jar) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        process = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "serve", "--port", "0").start();
        process.getOutputStream().close();
        CompletableFuture<String> firstLine = new CompletableFuture<>();
        drain(process.getInputStream(), stdout, firstLine, "stdout");
        drain(process.getErrorStream(), stderr, new CompletableFuture<>(), "stderr");
        String line;
        try {
            line = firstLine.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            close();
            throw new AssertionError("`duplex serve` printed no first line within " + START_TIMEOUT + describe(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new AssertionError("interrupted", e);
        }
        Matcher m = LISTENING.matcher(line == null ? "" : line);
        if (!m.matches()) {
            close();
            throw new AssertionError("`duplex serve` first line: expected \"Duplex listening on ws://127.0.0.1:PORT/\", got "
                    + (line == null ? "end of output" : '"' + line + '"') + describe());
        }
        port = Integer.parseInt(m.group(1));
    }

    /** Starts the demo server from the jar the cli module built. */
    static DemoServer start() throws IOException {
        Path jar = Path.of(System.getProperty("duplex.cli.jar", "../cli/target/duplex.jar"));
        if (!Files.isRegularFile(jar)) {
            fail("the command-line tool's jar " + jar.toAbsolutePath().normalize() + " is missing: build it with the "
                    + "reactor, bin/build verify -pl interop -am (the interop module depends on cli)");
        }
        return new DemoServer(jar);
    }

    /** The demo page's address. */
    String pageUrl() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** What the process printed so far, for failure messages. */
    String describe() {
        return "\n--- duplex serve stdout ---\n" + stdout.toString().strip()
                + "\n--- duplex serve stderr ---\n" + stderr.toString().strip()
                + (process.isAlive() ? "" : "\n(exited with " + process.exitValue() + ")");
    }

    private static void drain(InputStream in, StringBuffer into, CompletableFuture<String> firstLine, String name) {
        Thread.ofPlatform().daemon().name("duplex-serve-" + name).start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    into.append(line).append('\n');
                    firstLine.complete(line);
                }
            } catch (IOException e) {
                into.append("(reading failed: ").append(e).append(")\n");
            } finally {
                firstLine.complete(null);
            }
        });
    }

    /** Asks the server to stop (SIGTERM), and kills it if it has not within 10 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
