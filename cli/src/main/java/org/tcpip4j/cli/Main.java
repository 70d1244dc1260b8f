package org.tcpip4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tcpip4j} command: {@code demo}, {@code serve}, {@code ping} and {@code perf}.
 * Exit codes: 0 success, 1 failure, 2 usage error.
 */
@Command(name = "tcpip4j", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"A pure-Java userspace TCP/IP stack.",
                "Counters are named layer.counter everywhere (tcp.tx.retransmits, netif.rx.packets).",
                "Sizes take K, M, G (1024, 1024^2, 1024^3, as KiB, MiB, GiB) or kB, MB, GB (1000, 1000^2, "
                        + "1000^3): --bytes 64M, --queue 256KiB."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:failure (a step failed, no reply, the device could not be opened)",
                "2:usage error: an option or value that is wrong, or a --pcap file that cannot be written"},
        subcommands = {DemoCommand.class, ServeCommand.class, PingCommand.class, PerfCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "-v", description = "More log output: -v info, -vv debug.")
    boolean[] verbose = new boolean[0];

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        configureLogging(args);
        int code = commandLine().execute(args);
        System.exit(code);
    }

    /** The command line of {@code tcpip4j}, set up as {@link #configure} says. */
    static CommandLine commandLine() {
        return configure(new CommandLine(new Main()));
    }

    /**
     * Sets up {@code commandLine} and its subcommands: usage errors in one line
     * ({@link Usage}), failures said in one line, numbers and sizes read by
     * {@link Converters}, help wrapped at spaces ({@link HelpLayout}).
     */
    static CommandLine configure(CommandLine commandLine) {
        Converters.register(commandLine);
        commandLine.setParameterExceptionHandler(new Usage.Handler());
        commandLine.setExecutionExceptionHandler(new Usage.Failed());
        HelpLayout.apply(commandLine);
        return commandLine;
    }

    /** Sets slf4j-simple's level from -v/-vv before any logger exists. */
    static void configureLogging(String[] args) {
        String level = "warn";
        for (String a : args) {
            if (a.equals("-vv")) {
                level = "debug";
            } else if (a.equals("-v") && !level.equals("debug")) {
                level = "info";
            }
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
