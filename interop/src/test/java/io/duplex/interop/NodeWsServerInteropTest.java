package io.duplex.interop;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.fail;

/**
 * The Duplex client against Node.js {@code ws} (8.23.0, pinned in node/package.json) as a server:
 * node/ws-echo-server.mjs, one process for the class.
 */
class NodeWsServerInteropTest extends ClientInteropScenarios {

    private static final String NPM_CI = "npm ci --prefix interop/node --no-audit --no-fund";

    @Override
    ExternalServer startServer() throws Exception {
        if (!Files.isRegularFile(ExternalClient.moduleDir().resolve("node/node_modules/ws/package.json"))) {
            fail("the npm package ws is not installed in interop/node/node_modules: run `" + NPM_CI
                    + "` from the repository root (bash .ci/run does)");
        }
        return ExternalServer.start(List.of("node", "node/ws-echo-server.mjs"), Map.of(),
                "Node.js (>= 20) is needed on the PATH: apt-get install nodejs npm, then `" + NPM_CI
                        + "` (bash .ci/run does both)");
    }
}
