package io.duplex.interop;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The Duplex client against Go's {@code gorilla/websocket} (Debian's golang-github-gorilla-websocket-dev,
 * 1.5.0 on Debian 12, built with Debian's golang-go) as a server: go/gorilla_echo_server.go, built once per
 * test run into target/go, one process for the class.
 *
 * <p>The build uses Debian's packaged source under /usr/share/gocode in GOPATH mode and never the network:
 * {@code GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off GOFLAGS=}.
 */
class GorillaServerInteropTest extends ClientInteropScenarios {

    private static final String INSTALL = "apt-get install golang-go golang-github-gorilla-websocket-dev"
            + " (bash .ci/run does)";
    private static final Path GORILLA_SOURCE = Path.of("/usr/share/gocode/src/github.com/gorilla/websocket");
    private static final Duration BUILD_TIMEOUT = Duration.ofSeconds(120);

    private static Path binary;

    /** Builds the server, once per JVM; fails naming the missing package if Go or gorilla is absent. */
    static synchronized Path binary() {
        if (binary != null) {
            return binary;
        }
        if (!Files.isDirectory(GORILLA_SOURCE)) {
            fail("gorilla/websocket's source is missing at " + GORILLA_SOURCE + ": " + INSTALL);
        }
        Path target = ExternalClient.moduleDir().resolve("target/go");
        Path built = target.resolve("gorilla-echo-server");
        ExternalClient.run(List.of("go", "build", "-o", built.toString(), "go/gorilla_echo_server.go"),
                Map.of("GO111MODULE", "off",
                        "GOPATH", "/usr/share/gocode",
                        "GOPROXY", "off",
                        "GOFLAGS", "",
                        "GOCACHE", target.resolve("cache").toString()),
                BUILD_TIMEOUT, "Go is needed on the PATH: " + INSTALL).assertOk();
        binary = built;
        return binary;
    }

    @Override
    ExternalServer startServer() throws Exception {
        return ExternalServer.start(List.of(binary().toString()), Map.of(), INSTALL);
    }
}
