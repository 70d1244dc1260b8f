package org.tcpip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What a user meets before any traffic: usage errors in one line, suggestions for typos,
 * {@code --version} everywhere, sizes with units, and help that fits 80 columns without
 * cutting a word.
 */
class UsageTest {

    /** The subcommands, "" for the command itself. */
    private static final List<String> COMMANDS = List.of("", "demo", "serve", "ping", "perf");

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** The one line a usage error prints, after checking it is one line, exit code 2 and no help. */
    private static String usageError(String... args) {
        Run r = run(args);
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out(), "nothing on standard output");
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertFalse(r.err().contains("Usage:"), "no help after the error: " + r.err());
        return r.err().strip();
    }

    @Test
    void aUsageErrorNamesTheOptionTheValueAndTheOneRuleItBreaksInOneLine() {
        assertEquals("tcpip4j perf: --bytes abc: not a size: 1000, 64K, 1.5M or 2G (K = 1024, kB = 1000); "
                + "see 'tcpip4j perf --help'", usageError("perf", "--bytes", "abc"));
        assertEquals("tcpip4j demo: --bytes -1: must not be negative; see 'tcpip4j demo --help'",
                usageError("demo", "--bytes", "-1"));
        assertEquals("tcpip4j perf: --time 0: must be more than 0 s; see 'tcpip4j perf --help'",
                usageError("perf", "--time", "0", "--interval", "0"), "the first error only, none of the others");
        assertEquals("tcpip4j perf: --port 70000: must be 0 to 65535; see 'tcpip4j perf --help'",
                usageError("perf", "--port", "70000"));
        assertEquals("tcpip4j perf: --interval soon: not a number; see 'tcpip4j perf --help'",
                usageError("perf", "--interval", "soon"), "no Java type names");
        assertEquals("tcpip4j ping: -c lots: not a whole number; see 'tcpip4j ping --help'",
                usageError("ping", "--tap", "t0", "--ip", "198.18.0.2/24", "-c", "lots", "198.18.0.1"));
        assertEquals("tcpip4j ping: -s 70000: must be 0 to 65507; see 'tcpip4j ping --help'",
                usageError("ping", "--tap", "t0", "--ip", "198.18.0.2/24", "-s", "70000", "198.18.0.1"));
        assertEquals("tcpip4j serve: --mac zz: not a MAC address, as in 02:00:00:00:00:01; see 'tcpip4j serve --help'",
                usageError("serve", "--tap", "t0", "--ip", "198.18.0.2/24", "--mac", "zz"), "said once");
        assertEquals("tcpip4j serve: --ip 198.18.0.2: needs a prefix length, as in 198.18.5.2/24; "
                + "see 'tcpip4j serve --help'", usageError("serve", "--tap", "t0", "--ip", "198.18.0.2"));
        assertEquals("tcpip4j serve: missing --tap NAME, the TAP device to use; see 'tcpip4j serve --help'",
                usageError("serve", "--ip", "198.18.0.2/24", "--echo", "7"));
        assertEquals("tcpip4j serve: --echo 0: must be a port, 1 to 65535; see 'tcpip4j serve --help'",
                usageError("serve", "--tap", "t0", "--ip", "198.18.0.2/24", "--echo", "0"));
        assertEquals("tcpip4j ping: missing DEST: the address to ping; see 'tcpip4j ping --help'",
                usageError("ping", "--tap", "t0", "--ip", "198.18.0.2/24"));
        assertEquals("tcpip4j demo: --bytes needs a value (SIZE); see 'tcpip4j demo --help'", usageError("demo", "--bytes"));
        assertEquals("tcpip4j demo: --seed is given twice: give it once; see 'tcpip4j demo --help'",
                usageError("demo", "--seed", "1", "--seed", "2"));
        assertEquals("tcpip4j perf: --peer goes with --stack tap; see 'tcpip4j perf --help'",
                usageError("perf", "--peer", "198.18.0.1"));
    }

    @Test
    void aTypoGetsTheNearestNamesOnTheSameLine() {
        assertEquals("tcpip4j: unknown command dmeo (did you mean demo?); see 'tcpip4j --help'", usageError("dmeo"));
        assertEquals("tcpip4j: unknown command serv (did you mean serve?); see 'tcpip4j --help'", usageError("serv"));
        assertEquals("tcpip4j: unknown command frobnicate; see 'tcpip4j --help'", usageError("frobnicate"));
        assertEquals("tcpip4j demo: unknown option --bytess (did you mean --bytes?); see 'tcpip4j demo --help'",
                usageError("demo", "--bytess", "5"));
        assertEquals("tcpip4j perf: unknown option --stak (did you mean --stack?); see 'tcpip4j perf --help'",
                usageError("perf", "--stak", "socket"));
        assertEquals("tcpip4j demo: unexpected argument extra; see 'tcpip4j demo --help'", usageError("demo", "extra"));
        assertEquals(1, Usage.distance("dmeo", "demo"), "a swap is one edit");
        assertEquals(List.of("ping"), Usage.similar("pign", List.of("demo", "serve", "ping", "perf")));
    }

    @Test
    void everySubcommandPrintsTheVersion() {
        for (String command : COMMANDS) {
            for (String flag : new String[] {"-V", "--version"}) {
                List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command));
                args.add(flag);
                Run r = run(args.toArray(String[]::new));
                assertEquals(0, r.code(), command + " " + flag);
                assertTrue(r.out().startsWith("tcpip4j " + Version.DEFAULT), command + " " + flag + ": " + r.out());
                assertTrue(r.out().contains("\nJava " + Runtime.version()), r.out());
            }
        }
    }

    @Test
    void sizesTakeBinaryAndDecimalUnitsInAnyCase() {
        assertEquals(1000L, Converters.Size.parse("1000"));
        assertEquals(65536L, Converters.Size.parse("64K"));
        assertEquals(65536L, Converters.Size.parse("64k"));
        assertEquals(65536L, Converters.Size.parse("64KiB"));
        assertEquals(64000L, Converters.Size.parse("64kB"));
        assertEquals(64000L, Converters.Size.parse("64KB"));
        assertEquals(1572864L, Converters.Size.parse("1.5M"));
        assertEquals(1L << 20, Converters.Size.parse("1 MiB"));
        assertEquals(1_000_000L, Converters.Size.parse("1MB"));
        assertEquals(2L << 30, Converters.Size.parse("2G"));
        assertEquals(3L << 30, Converters.Size.parse("3gib"));
        assertEquals(5_000_000_000L, Converters.Size.parse("5GB"));
        assertEquals(100L, Converters.Size.parse("100B"));
        for (String bad : new String[] {"", "K", "1.5", "0.1K", "1T", "64 furlongs", "-1", "1e3", "99999999999G"}) {
            assertThrows(CommandLine.TypeConversionException.class, () -> Converters.Size.parse(bad), bad);
        }
    }

    @Test
    void everyOptionTakingBytesTakesASize() throws Exception {
        DemoCommand demo = new DemoCommand();
        Main.configure(new CommandLine(demo)).parseArgs("--bytes", "64K");
        assertEquals(65536L, demo.bytes);
        PerfCommand perf = new PerfCommand();
        Main.configure(new CommandLine(perf)).parseArgs("--bytes", "1.5M");
        assertEquals(1572864L, perf.bytes);
        ServeCommand serve = new ServeCommand();
        Main.configure(new CommandLine(serve)).parseArgs("--tap", "t0", "--ip", "198.18.0.2/24", "--chargen-bytes", "2kB");
        assertEquals(2000L, serve.chargenBytes);
        Main.configure(new CommandLine(serve = new ServeCommand())).parseArgs("--tap", "t0", "--ip", "198.18.0.2/24");
        assertEquals(1L << 30, serve.chargenBytes, "the default, 1G");
        Main.configure(new CommandLine(serve = new ServeCommand())).parseArgs("--rate", "10", "--queue", "64K");
        assertEquals(43, serve.impairment.queueFrames(1500), "65536 / 1514");
    }

    /** Help rendered by picocli without the layout: nothing wrapped, the words as written. */
    private static String unwrappedHelp(String command) {
        CommandLine cl = new CommandLine(new Main());
        cl.setUsageHelpWidth(10_000);
        CommandLine target = command.isEmpty() ? cl : cl.getSubcommands().get(command);
        return target.getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private static String help(String command) {
        Run r = command.isEmpty() ? run("--help") : run(command, "--help");
        assertEquals(0, r.code());
        return r.out();
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.split("\\s+")).filter(w -> !w.isEmpty()).sorted().toList();
    }

    @Test
    void helpFitsEightyColumnsAndCutsNoWord() {
        for (String command : COMMANDS) {
            String help = help(command);
            help.lines().forEach(l -> assertTrue(l.length() <= HelpLayout.WIDTH, command + ": " + l.length()
                    + " columns: " + l));
            // Cutting "netif.rx.packets" or "2001:2::2/64" would make words the text does not have.
            assertEquals(words(unwrappedHelp(command)), words(help), command + " --help:\n" + help);
        }
        assertTrue(help("").contains("\n  2   usage error: "), "the exit codes are listed");
    }

    @Test
    void wrappingKeepsIndentsAndColourEscapes() {
        String line = "      --x=N      " + "word ".repeat(30).strip();
        String wrapped = HelpLayout.wrap(line, -1, true);
        List<String> lines = wrapped.lines().toList();
        assertTrue(lines.size() > 1, wrapped);
        lines.forEach(l -> assertTrue(l.length() <= HelpLayout.WIDTH, l));
        assertTrue(lines.get(1).startsWith(" ".repeat(19) + "word"), "two past the description's column: " + wrapped);
        String coloured = "\u001B[1m" + "x".repeat(70) + "\u001B[21m\u001B[0m abc";
        assertEquals(coloured, HelpLayout.wrap(coloured, -1, false), "escapes take no columns");
        assertEquals("a".repeat(100), HelpLayout.wrap("a".repeat(100), 4, false), "a long word stays whole");
    }
}
