package io.duplex.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * Answers {@code duplex --version}: the Duplex version (filtered into {@code version.properties} at build
 * time) and the running JVM.
 *
 * <p>Threading: stateless.
 */
public final class VersionProvider implements IVersionProvider {

    /** Creates the provider (picocli instantiates it). */
    public VersionProvider() {
    }

    /** The Duplex version, for example "0.1.0-SNAPSHOT". */
    public static String duplexVersion() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "duplex " + duplexVersion(),
            "JVM " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
