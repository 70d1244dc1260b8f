package org.tcpip4j.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IHelpSectionRenderer;

/**
 * Help wrapped at spaces only. Picocli wraps at the line breaks of {@link java.text.BreakIterator},
 * which fall inside {@code netif.rx.packets}, {@code 2001:2::2/64} and {@code TCP-LISTEN:5201}:
 * here every section is rendered unwrapped and then cut at the spaces to {@link #WIDTH} columns,
 * each line's continuation indented as picocli indents it (under the synopsis's first option,
 * two past the start of a description). A word longer than a line stays whole.
 */
final class HelpLayout {

    /** The columns of the help. */
    static final int WIDTH = 80;
    /** The width picocli renders at: wide enough never to wrap. */
    private static final int UNWRAPPED = 10_000;
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");
    /** The sections laid out as a table: names, then a description that continues two columns in. */
    private static final Set<String> TABLES = Set.of(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST,
            CommandLine.Model.UsageMessageSpec.SECTION_KEY_PARAMETER_LIST,
            CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
            CommandLine.Model.UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST,
            CommandLine.Model.UsageMessageSpec.SECTION_KEY_END_OF_OPTIONS);

    private HelpLayout() {
    }

    /** Lays out the help of {@code commandLine} and of its subcommands so. */
    static void apply(CommandLine commandLine) {
        commandLine.setUsageHelpWidth(UNWRAPPED);
        apply(commandLine, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    }

    private static void apply(CommandLine commandLine, Set<CommandLine> done) {
        if (!done.add(commandLine)) {
            return; // an alias of a command already laid out
        }
        Map<String, IHelpSectionRenderer> sections = new LinkedHashMap<>();
        commandLine.getHelpSectionMap().forEach((key, renderer) -> sections.put(key, help -> {
            String text = renderer.render(help);
            if (key.equals(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS)) {
                // "Usage: tcpip4j demo [-hVv] ...", its heading a section of its own: continued
                // under the first option.
                String heading = help.synopsisHeading();
                String plain = ANSI.matcher(heading + text).replaceAll("");
                String name = help.commandSpec().qualifiedName();
                int at = plain.indexOf(name);
                return wrap(heading + text, at < 0 ? 4 : at + name.length() + 1, false).substring(heading.length());
            }
            return wrap(text, -1, TABLES.contains(key));
        }));
        commandLine.setHelpSectionMap(sections);
        commandLine.getSubcommands().values().forEach(sub -> apply(sub, done));
    }

    /**
     * Each line of {@code text} cut at spaces to {@link #WIDTH} columns (escape sequences of
     * colours take none). A continuation is indented {@code hanging} columns when that is
     * not negative; else as far as the line's description starts (after its leading spaces,
     * or after a gap of two spaces or more in a table), two more in a table.
     */
    static String wrap(String text, int hanging, boolean table) {
        StringBuilder out = new StringBuilder(text.length() + 64);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.append('\n');
            }
            wrapLine(lines[i], hanging, table, out);
        }
        return out.toString();
    }

    private static void wrapLine(String line, int hanging, boolean table, StringBuilder out) {
        if (visible(line) <= WIDTH) {
            out.append(line);
            return;
        }
        int indent = hanging >= 0 ? hanging : descriptionColumn(line, table);
        int column = 0;
        int i = 0;
        int n = line.length();
        boolean wordOnLine = false;
        while (i < n) {
            int spaces = i;
            while (spaces < n && line.charAt(spaces) == ' ') {
                spaces++;
            }
            int end = spaces;
            while (end < n && line.charAt(end) != ' ') {
                end++;
            }
            String gap = line.substring(i, spaces);
            String word = line.substring(spaces, end);
            int width = visible(word);
            if (wordOnLine && column + gap.length() + width > WIDTH && column > indent) {
                out.append('\n').append(" ".repeat(indent));
                column = indent;
            } else {
                out.append(gap);
                column += gap.length();
            }
            out.append(word);
            column += width;
            wordOnLine |= !word.isEmpty();
            i = end;
        }
    }

    /** Where a line's description starts: after its leading spaces, or after a table's gap, plus two in a table. */
    private static int descriptionColumn(String line, boolean table) {
        String plain = ANSI.matcher(line).replaceAll("");
        int lead = 0;
        while (lead < plain.length() && plain.charAt(lead) == ' ') {
            lead++;
        }
        if (!table) {
            return lead;
        }
        int gap = plain.indexOf("  ", lead);
        int start = lead;
        if (gap > 0) {
            start = gap;
            while (start < plain.length() && plain.charAt(start) == ' ') {
                start++;
            }
        }
        return Math.min(start + 2, WIDTH / 2);
    }

    /** The columns {@code s} takes on a terminal: its characters but for colour escapes. */
    static int visible(String s) {
        return s.indexOf('\u001B') < 0 ? s.length() : ANSI.matcher(s).replaceAll("").length();
    }
}
