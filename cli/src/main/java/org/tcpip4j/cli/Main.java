package org.tcpip4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tcpip4j} command: {@code demo}, {@code serve}, {@code ping} and {@code perf}.
 * Exit codes: 0 success, 1 failure, 2 usage error.
 */
@Command(name = "tcpip4j", mixinStandardHelpOptions = true, version = "tcpip4j 0.1.0",
        description = {"A pure-Java userspace TCP/IP stack.",
                "Counters are named layer.counter everywhere (tcp.tx.retransmits, netif.rx.packets)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:failure (a step failed, no reply, the device could not be opened)",
                "2:usage error"},
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
        int code = new CommandLine(new Main()).execute(args);
        System.exit(code);
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
