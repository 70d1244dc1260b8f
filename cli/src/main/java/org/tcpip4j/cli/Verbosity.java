package org.tcpip4j.cli;

import picocli.CommandLine.Option;

/**
 * The {@code -v} option every subcommand accepts. {@link Main#configureLogging} reads the
 * arguments itself before any logger exists; this only makes picocli accept them there.
 */
final class Verbosity {

    @Option(names = "-v", description = "More log output: -v info, -vv debug, with ARP resolutions and TCP state"
            + " changes (default: warnings only).")
    boolean[] verbose = new boolean[0];
}
