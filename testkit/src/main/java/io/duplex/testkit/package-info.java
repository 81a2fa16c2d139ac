/**
 * Test helpers: {@link io.duplex.testkit.RawFrame} writes frames byte by byte, legal or not;
 * {@link io.duplex.testkit.Partitions} splits inputs every way; {@link io.duplex.testkit.Hex} and
 * {@link io.duplex.testkit.Bytes} build and show byte arrays; {@link io.duplex.testkit.TestCertificates} makes a
 * throw-away localhost certificate for TLS tests.
 */
package io.duplex.testkit;
