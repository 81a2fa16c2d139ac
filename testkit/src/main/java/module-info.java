/**
 * Test helpers shared by every module: an independent reference frame writer, every-partition splitting,
 * hex dumps and byte utilities. It depends on nothing but java.base, and never on core, so that core's own
 * tests can use it as an oracle.
 */
module io.duplex.testkit {
    exports io.duplex.testkit;
}
