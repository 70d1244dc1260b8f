package org.tcpip4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --loss}, {@code --seed} and {@code --pcap} of the commands that run a stack on a TAP. */
final class ImpairmentOptions {

    @Option(names = "--loss", paramLabel = "PERCENT", defaultValue = "0",
            description = "Percent of frames our side drops, each way (default: none).")
    double lossPercent;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the loss and of the stack's randomness (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--pcap", paramLabel = "FILE",
            description = "Capture the stack's frames to this pcap file (open it in Wireshark or tshark).")
    Path pcap;

    /** Fails with a usage error for a loss outside [0, 100). */
    void validate(CommandSpec spec) {
        if (!(lossPercent >= 0 && lossPercent < 100)) {
            throw new ParameterException(spec.commandLine(), "--loss must be a percentage in [0, 100)");
        }
    }

    /** The loss as a probability. */
    double loss() {
        return lossPercent / 100.0;
    }
}
