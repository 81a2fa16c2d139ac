package io.duplex.interop;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the client scripts (or a tool's version check) as a child process with a bounded
 * timeout, and turns its exit code and output into a test result.
 *
 * <p>The scripts live in this module's {@code node/} and {@code python/} folders and follow one
 * contract: {@code URL SCENARIO [LIMIT]} in, exit 0 with an "ok" line on success, non-zero with a
 * message saying what was expected and seen otherwise. Their installed dependencies come from
 * {@code .ci/run}; a missing tool fails the test with the command that installs it (never a skip).
 *
 * <p>Threading: stateless; safe from any thread.
 */
final class ExternalClient {

    /** Debian's interpreter, which is the one python3-websockets installs into. */
    static final String PYTHON = "/usr/bin/python3";

    /** Debian's Chromium; playwright-core launches it and never downloads a browser. */
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static final String NPM_CI = "npm ci --prefix interop/node --no-audit --no-fund";

    private ExternalClient() {}

    /** This module's folder (surefire passes it; the working directory is the fallback). */
    static Path moduleDir() {
        Path dir = Path.of(System.getProperty("duplex.interop.dir", System.getProperty("user.dir")));
        if (!Files.isRegularFile(dir.resolve("node/ws-client.mjs"))) {
            fail("cannot find the interop client scripts under " + dir.toAbsolutePath()
                    + " (run the tests from the reactor: bin/build verify -pl interop -am)");
        }
        return dir;
    }

    /** What a finished (or timed-out) child process did. */
    record Result(List<String> command, int exitCode, boolean timedOut, String stdout, String stderr, Duration took) {

        /** The whole story, for assertion messages. */
        String describe() {
            return "command: " + String.join(" ", command)
                    + "\n" + (timedOut ? "TIMED OUT after " + took.toMillis() + " ms and was killed"
                            : "exit code " + exitCode + " after " + took.toMillis() + " ms")
                    + "\n--- stdout ---\n" + stdout.strip()
                    + "\n--- stderr ---\n" + stderr.strip();
        }

        /** Fails the test unless the process exited 0 in time; returns its stdout, stripped. */
        String assertOk() {
            if (timedOut || exitCode != 0) {
                fail("the client failed\n" + describe());
            }
            return stdout.strip();
        }
    }

    /**
     * Runs {@code command} in this module's folder, waiting at most {@code timeout}; on time-out the
     * process and its children (Chromium's, say) are killed.
     *
     * @param missingToolHint what to tell the reader if the program cannot be started at all
     */
    static Result run(List<String> command, Duration timeout, String missingToolHint) {
        return run(command, Map.of(), timeout, missingToolHint);
    }

    /** As {@link #run(List, Duration, String)}, with {@code environment} added to the inherited one. */
    static Result run(List<String> command, Map<String, String> environment, Duration timeout, String missingToolHint) {
        Path dir = moduleDir();
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("duplex-interop-", ".out");
            err = Files.createTempFile("duplex-interop-", ".err");
            long start = System.nanoTime();
            Process process;
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                builder.environment().putAll(environment);
                process = builder.start();
            } catch (IOException e) {
                return fail("cannot start " + command.getFirst() + ": " + e.getMessage() + "\n" + missingToolHint);
            }
            process.getOutputStream().close(); // the scripts read no input
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            return new Result(List.copyOf(command), finished ? process.exitValue() : -1, !finished,
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8), took);
        } catch (IOException e) {
            return fail("running " + command + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while running " + command, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Runs {@code node SCRIPT ARGS...} with the scripts' npm dependencies checked first. */
    static Result node(String script, Duration timeout, String... args) {
        Path modules = moduleDir().resolve("node/node_modules");
        for (String pkg : List.of("ws", "playwright-core")) {
            if (!Files.isRegularFile(modules.resolve(pkg).resolve("package.json"))) {
                fail("the npm package " + pkg + " is not installed in " + modules.toAbsolutePath()
                        + ": run `" + NPM_CI + "` from the repository root (bash .ci/run does)");
            }
        }
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        return run(command, timeout, "Node.js (>= 20) is needed on the PATH: apt-get install nodejs npm, then `"
                + NPM_CI + "` (bash .ci/run does both)");
    }

    /** Runs Debian's {@code /usr/bin/python3 SCRIPT ARGS...}. */
    static Result python(String script, Duration timeout, String... args) {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            fail(PYTHON + " is missing: apt-get install python3 python3-websockets (bash .ci/run does)");
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, script));
        command.addAll(List.of(args));
        return run(command, timeout, "apt-get install python3 python3-websockets (bash .ci/run does)");
    }

    /** Fails unless Debian's Chromium is installed. */
    static void requireChromium() {
        if (!Files.isExecutable(CHROMIUM)) {
            fail("Chromium is missing at " + CHROMIUM + ": apt-get install chromium (bash .ci/run does)");
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A temp file left behind is harmless; the test's outcome does not depend on it.
            }
        }
    }
}
