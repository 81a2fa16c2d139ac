package io.duplex.cli.internal;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logging for the command-line tool. Duplex's libraries log through {@link System.Logger}, which the JDK
 * backs with java.util.logging. A tool's stdout and stderr are its interface, so unless the user configured
 * logging (the {@code java.util.logging.config.file} or {@code .config.class} property), Duplex's loggers
 * report warnings and errors only, as one line each ("duplex: WARNING: ..."); the server's INFO line
 * "listening on ..." would only repeat what {@code serve} prints.
 *
 * <p>Threading: {@link #configure()} is called once, first thing in {@code main}.
 */
public final class Logging {

    // java.util.logging holds loggers weakly: keep the configured one alive, or its level is forgotten.
    private static Logger duplexLogger;

    private Logging() {
    }

    /** Applies the defaults described above, unless the user configured logging. */
    public static synchronized void configure() {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        // Read when SimpleFormatter is first loaded, which has not happened yet this early.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "duplex: %4$s: %5$s%6$s%n");
        }
        duplexLogger = Logger.getLogger("io.duplex");
        duplexLogger.setLevel(Level.WARNING);
    }
}
