/**
 * The {@code duplex} command: {@link io.duplex.cli.Main} is the entry point of {@code cli/target/duplex.jar}
 * and of the {@code ./duplex} launcher at the repository root.
 */
package io.duplex.cli;
