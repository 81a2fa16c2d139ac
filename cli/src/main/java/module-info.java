/**
 * The {@code duplex} command-line tool: {@code duplex serve} runs an echo server or the browser demo;
 * {@code duplex conformance-client} drives a fuzzing test server's client cases.
 * Package {@code io.duplex.cli.internal} (the subcommands) is not exported; picocli reads its annotated
 * fields reflectively, hence the qualified {@code opens}.
 */
module io.duplex.cli {
    requires io.duplex.server;
    requires io.duplex.client;
    requires info.picocli;
    requires java.logging;
    exports io.duplex.cli;
    opens io.duplex.cli to info.picocli;
    opens io.duplex.cli.internal to info.picocli;
}
