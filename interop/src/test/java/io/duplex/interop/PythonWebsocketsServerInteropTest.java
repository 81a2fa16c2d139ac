package io.duplex.interop;

import java.util.List;
import java.util.Map;

/**
 * The Duplex client against Python's {@code websockets} (Debian's python3-websockets, 10.4 on Debian 12)
 * as a server: python/websockets_echo_server.py, one process for the class.
 */
class PythonWebsocketsServerInteropTest extends ClientInteropScenarios {

    @Override
    ExternalServer startServer() throws Exception {
        return ExternalServer.start(List.of(ExternalClient.PYTHON, "python/websockets_echo_server.py"),
                Map.of("PYTHONIOENCODING", "utf-8", "PYTHONUNBUFFERED", "1"),
                ExternalClient.PYTHON + " with python3-websockets is needed: apt-get install python3 python3-websockets"
                        + " (bash .ci/run does)");
    }
}
