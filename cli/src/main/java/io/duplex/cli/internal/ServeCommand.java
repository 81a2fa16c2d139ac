package io.duplex.cli.internal;

import io.duplex.core.Limits;
import io.duplex.server.OriginPolicy;
import io.duplex.server.Route;
import io.duplex.server.WebSocketServer;
import io.duplex.transport.TlsConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code duplex serve}: runs a WebSocket server until Ctrl-C or SIGTERM.
 *
 * <p>Two modes. The demo (default): {@code /echo} echoes, with the default same-origin policy, and {@code /}
 * serves the {@link DemoPage} that talks to it. {@code --echo}: every path echoes, from any origin, for
 * testing clients. When ready it prints one line, {@code Duplex listening on ws://127.0.0.1:8080/}
 * ({@code wss://} with TLS, {@code unix:PATH} on a Unix socket), then for the demo where to point a browser.
 *
 * <p>Threading: picocli fills the options, then {@link #call()} runs on the caller's thread and blocks it
 * until the server stops.
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Runs a WebSocket server until Ctrl-C.",
            "By default the browser demo: a page at / and an echo socket at /echo.",
            "With --echo, every path echoes every message, from any origin (for testing clients)."
        })
public final class ServeCommand implements Callable<Integer> {

    /** The default listening address: loopback only, so a demo is not exposed by accident. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** The default port. */
    public static final int DEFAULT_PORT = 8080;

    @Spec
    private CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = DEFAULT_HOST,
            description = "Address or name to listen on (default: ${DEFAULT-VALUE}); 0.0.0.0 or :: for all.")
    private String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + DEFAULT_PORT,
            description = "TCP port (default: ${DEFAULT-VALUE}); 0 picks a free port, printed when ready.")
    private int port;

    @Option(names = "--echo",
            description = "Echo on every path from any origin, instead of the demo page and /echo.")
    private boolean echo;

    // Hidden: a load-test fixture (bin/loadtest's broadcast scenario), not a feature of the tool.
    @Option(names = "--bench-broadcast", hidden = true,
            description = "With --echo: also a route at " + BroadcastHandler.PATH + " that sends every message "
                    + "to every socket on it (for bin/loadtest's broadcast scenario).")
    private boolean benchBroadcast;

    @Option(names = "--max-message", paramLabel = "SIZE", converter = ByteSize.class,
            description = "Largest frame and message accepted (default: 1MiB); e.g. 65536, 64k, 64KiB, 1m, 1MiB.")
    private Long maxMessage;

    @ArgGroup(exclusive = false)
    private TlsFiles tls;

    @Option(names = "--unix", paramLabel = "PATH",
            description = "Listen on this Unix domain socket instead of TCP.")
    private Path unix;

    /** The two TLS options, which picocli requires together. */
    static final class TlsFiles {
        @Option(names = "--tls-cert", paramLabel = "FILE", required = true,
                description = "PEM certificate chain, leaf first: serve wss:// and https://.")
        Path certificate;

        @Option(names = "--tls-key", paramLabel = "FILE", required = true,
                description = "PEM private key for --tls-cert (PKCS#8, PKCS#1 or SEC1; not encrypted).")
        Path key;
    }

    /** Creates the command (picocli instantiates it and fills the options). */
    public ServeCommand() {
    }

    /** The host to listen on. */
    public String host() {
        return host;
    }

    /** The TCP port to listen on; 0 for any free port. */
    public int port() {
        return port;
    }

    /** Whether every path echoes (instead of the demo). */
    public boolean echo() {
        return echo;
    }

    /** Whether {@code --bench-broadcast} adds the load test's broadcast route. */
    public boolean benchBroadcast() {
        return benchBroadcast;
    }

    /** The limits every socket gets: {@link Limits#DEFAULT} with {@code --max-message} as frame and message limit. */
    public Limits limits() {
        return maxMessage == null ? Limits.DEFAULT : Limits.DEFAULT.withMaxPayload(maxMessage);
    }

    /** The certificate file, or null without TLS. */
    public Path tlsCertificate() {
        return tls == null ? null : tls.certificate;
    }

    /** The private key file, or null without TLS. */
    public Path tlsKey() {
        return tls == null ? null : tls.key;
    }

    /** The Unix domain socket path, or null for TCP. */
    public Path unix() {
        return unix;
    }

    /** Starts the server, registers the shutdown hook, and waits until the hook has stopped the server. */
    @Override
    public Integer call() throws CommandFailure, InterruptedException {
        RunningServer running = start(spec.commandLine().getOut(), spec.commandLine().getErr());
        Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "duplex-serve-shutdown"));
        running.awaitStopped();
        return 0;
    }

    /**
     * Starts the server these options describe and prints the ready lines on {@code out}.
     *
     * @param out where the ready lines and "Duplex stopped" go
     * @param err where warnings go
     * @return the running server
     * @throws ParameterException if options contradict each other (a usage error)
     * @throws CommandFailure if the server cannot start: an unknown host, a port in use, unreadable TLS files
     */
    public RunningServer start(PrintWriter out, PrintWriter err) throws CommandFailure {
        checkCombinations();
        SocketAddress address = unix != null ? UnixDomainSocketAddress.of(unix)
                : new InetSocketAddress(resolve(host), port);
        String where = unix != null ? "unix:" + unix : hostForUrl(host) + ":" + port;
        TlsConfig tlsConfig = tls != null ? loadTls() : null;
        WebSocketServer.Builder builder = WebSocketServer.builder().listen(address);
        if (tlsConfig != null) {
            builder.tls(tlsConfig);
        }
        Limits limits = limits();
        EchoHandler echoHandler = new EchoHandler();
        if (echo) {
            // "/*" is the prefix "/", which every path starts with, "/" included (the end-to-end test checks).
            builder.route(Route.builder("/*", echoHandler).limits(limits).originPolicy(OriginPolicy.any()).build());
            if (benchBroadcast) {
                // An exact path is longer than the prefix "/*", so it wins for /broadcast.
                builder.route(Route.builder(BroadcastHandler.PATH, new BroadcastHandler()).limits(limits)
                        .originPolicy(OriginPolicy.any()).build());
            }
        } else {
            builder.route(Route.builder(DemoPage.SOCKET_PATH, echoHandler).limits(limits).build());
            builder.http("/", new DemoPage());
        }
        WebSocketServer server = builder.build();
        try {
            server.start();
        } catch (IOException e) {
            throw new CommandFailure("cannot listen on " + where + ": " + messageOf(e), e);
        }
        String url = unix != null ? where : (tls != null ? "wss://" : "ws://") + hostForUrl(host) + ":"
                + server.port() + "/";
        out.println("Duplex listening on " + url);
        if (!echo && unix == null) {
            out.println("Open " + (tls != null ? "https://" : "http://") + hostForUrl(host) + ":" + server.port()
                    + "/ in a browser");
        }
        out.flush();
        return new RunningServer(server, url, out, err);
    }

    // Checks picocli cannot express: a Unix socket has no host, port or TLS (TLS applies to TCP listeners).
    private void checkCombinations() {
        if (benchBroadcast && !echo) {
            throw new ParameterException(spec.commandLine(), "--bench-broadcast needs --echo");
        }
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "port " + port + " is outside 0-65535");
        }
        if (unix != null) {
            var parsed = spec.commandLine().getParseResult();
            for (String option : new String[] {"--host", "--port", "--tls-cert"}) {
                if (parsed != null && parsed.hasMatchedOption(option)) {
                    throw new ParameterException(spec.commandLine(),
                            "--unix cannot be combined with " + option + ": a Unix socket has no host, port or TLS");
                }
            }
        }
    }

    private static InetAddress resolve(String host) throws CommandFailure {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new CommandFailure("cannot resolve host " + host + ": " + messageOf(e), e);
        }
    }

    private TlsConfig loadTls() throws CommandFailure {
        try {
            return TlsConfig.serverFromPem(tls.certificate, tls.key);
        } catch (IOException | GeneralSecurityException e) {
            throw new CommandFailure("cannot load TLS certificate " + tls.certificate + " and key " + tls.key
                    + ": " + messageOf(e), e);
        }
    }

    // An IPv6 literal needs brackets in a URL (RFC 3986 3.2.2).
    static String hostForUrl(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String messageOf(Exception e) {
        if (e instanceof NoSuchFileException missing) {
            return "no such file " + missing.getFile();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
