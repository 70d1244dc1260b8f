package org.tcpip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The TAP options shared by {@code serve}, {@code ping} and {@code perf}: here {@code --offloads}. */
class TapOptionsTest {

    /** A command holding only the options, as the commands mix them in. */
    @Command(name = "holder")
    static final class Holder implements Runnable {
        @Mixin
        TapOptions options = new TapOptions();

        @Override
        public void run() {
        }
    }

    private static TapOptions parse(String... args) {
        Holder h = new Holder();
        String[] all = new String[args.length + 2];
        all[0] = "--tap";
        all[1] = "t0";
        System.arraycopy(args, 0, all, 2, args.length);
        new CommandLine(h).parseArgs(all);
        return h.options;
    }

    @Test
    void offloadsAreOnByDefaultAndOffOnRequestOrUnderImpairments() {
        assertTrue(parse().config(false).offloads(), "on by default");
        assertTrue(parse("--offloads", "on").config(false).offloads());
        assertTrue(parse("--offloads=ON").config(false).offloads(), "any case");
        assertFalse(parse("--offloads", "off").config(false).offloads());
        assertFalse(parse("--offloads", "Off").config(false).offloads());
        assertFalse(parse().config(true).offloads(), "impairments act on wire-size frames");
        assertEquals("offloads off (--offloads off)", parse("--offloads", "off").describeOffloads(null, false));
        assertEquals("offloads off (impairments act on wire-size frames)", parse().describeOffloads(null, true));
    }

    @Test
    void anythingButOnOrOffIsAUsageError() {
        assertThrows(CommandLine.ParameterException.class, () -> parse("--offloads", "maybe"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--offloads"));
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        assertEquals(2, cl.execute("serve", "--tap", "t0", "--ip", "198.18.0.2/24", "--offloads", "true"));
        assertTrue(err.toString().contains("--offloads true: neither on nor off"), err.toString());
    }

    @Test
    void theTapCommandsListTheOption() {
        for (String command : new String[] {"serve", "ping", "perf"}) {
            StringWriter out = new StringWriter();
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.execute(command, "--help");
            assertTrue(out.toString().contains("--offloads=on|off"), command + ": " + out);
        }
    }
}
