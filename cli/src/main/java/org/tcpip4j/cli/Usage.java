package org.tcpip4j.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Usage errors in one line: the option, the value given, the one rule it breaks, then where
 * the help is, as in {@code tcpip4j demo: --loss 100: must be a percentage in [0, 100); see
 * 'tcpip4j demo --help'}; a typo gets "did you mean ...?". No help follows, so the error
 * stays on screen. Exit code 2 ({@link CommandSpec#exitCodeOnInvalidInput()}).
 */
final class Usage {

    private Usage() {
    }

    /**
     * The usage error of {@code option} breaking {@code rule}: "OPTION VALUE: RULE", the value
     * as given on the command line (else {@code value}).
     */
    static ParameterException error(CommandSpec spec, String option, Object value, String rule) {
        return new ParameterException(spec.commandLine(), option + " " + given(spec, option, value) + ": " + rule);
    }

    /** A usage error that concerns no one value: two options that do not go together, one missing. */
    static ParameterException error(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** The text {@code option} was given with on the command line, or {@code value} when it was not given. */
    static String given(CommandSpec spec, String option, Object value) {
        ParseResult parsed = spec.commandLine().getParseResult();
        if (parsed != null && parsed.hasMatchedOption(option)) {
            List<String> texts = parsed.matchedOption(option).originalStringValues();
            if (!texts.isEmpty()) {
                return quote(texts.getLast());
            }
        }
        return value instanceof Double d ? ImpairmentOptions.number(d) : String.valueOf(value);
    }

    /** A value as the user typed it, quoted only when it would not read as one word. */
    static String quote(String value) {
        return value.isEmpty() || value.chars().anyMatch(Character::isWhitespace) ? "'" + value + "'" : value;
    }

    /** The one line a usage error prints, without the command's name. */
    static String message(ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException u) {
            return unmatched(u);
        }
        if (ex instanceof CommandLine.MissingParameterException m) {
            return missing(m);
        }
        if (ex instanceof CommandLine.OverwrittenOptionException o && o.getOverwritten() != null) {
            return name(o.getOverwritten()) + " is given twice: give it once";
        }
        ArgSpec arg = ex.getArgSpec();
        if (ex.getCause() instanceof TypeConversionException t && arg != null) {
            return name(arg) + " " + quote(ex.getValue() == null ? "" : ex.getValue()) + ": " + t.getMessage();
        }
        String text = ex.getMessage() == null ? ex.toString() : ex.getMessage();
        return text.lines().findFirst().orElse(text);
    }

    private static String unmatched(UnmatchedArgumentException u) {
        List<String> args = u.getUnmatched();
        String first = args.isEmpty() ? "" : args.getFirst();
        CommandLine cl = u.getCommandLine();
        boolean command = !u.isUnknownOption() && !cl.getSubcommands().isEmpty()
                && (cl.getParseResult() == null || !cl.getParseResult().hasSubcommand());
        List<String> suggestions = command ? similar(first, cl.getSubcommands().keySet()) : u.getSuggestions();
        String hint = suggestions.isEmpty() ? ""
                : " (did you mean " + suggestions.stream().limit(3).collect(Collectors.joining(" or ")) + "?)";
        if (u.isUnknownOption()) {
            return "unknown option " + quote(first) + hint;
        }
        return (command ? "unknown command " : "unexpected argument ") + quote(first) + hint;
    }

    /**
     * The names nearest to {@code typed}, if within two edits (a letter added, dropped,
     * changed, or two swapped): "serv" is one from serve and two from perf, so serve only.
     */
    static List<String> similar(String typed, java.util.Collection<String> names) {
        int nearest = names.stream().mapToInt(n -> distance(typed, n)).min().orElse(Integer.MAX_VALUE);
        return nearest > 2 ? List.of() : names.stream().filter(n -> distance(typed, n) == nearest).toList();
    }

    /** The optimal string alignment distance: insertions, deletions, substitutions and transpositions. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static String missing(CommandLine.MissingParameterException m) {
        List<ArgSpec> missing = m.getMissing();
        if (missing == null || missing.isEmpty()) {
            return m.getMessage();
        }
        ArgSpec arg = missing.getFirst();
        if (arg instanceof OptionSpec o && m.getMessage() != null && m.getMessage().contains("for option")) {
            return name(o) + " needs a value (" + o.paramLabel() + ")";
        }
        return "missing " + missing.stream().map(Usage::name).collect(Collectors.joining(" and "))
                + (arg.description().length > 0 ? ": " + firstSentence(arg.description()[0]) : "");
    }

    private static String firstSentence(String text) {
        String lower = text.substring(0, 1).toLowerCase(java.util.Locale.ROOT) + text.substring(1);
        int end = lower.indexOf(": ");
        end = end < 0 ? lower.indexOf(". ") : end;
        return (end < 0 ? lower : lower.substring(0, end)).replaceAll("\\.$", "");
    }

    /** An option's longest name, or a parameter's label. */
    static String name(ArgSpec arg) {
        return arg instanceof OptionSpec o ? o.longestName() : ((PositionalParamSpec) arg).paramLabel();
    }

    /** Prints {@link #message} in one line with where the help is; returns exit code 2. */
    static final class Handler implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine cl = ex.getCommandLine();
            String command = cl.getCommandSpec().qualifiedName();
            PrintWriter err = cl.getErr();
            err.println(command + ": " + message(ex) + "; see '" + command + " --help'");
            err.flush();
            return cl.getCommandSpec().exitCodeOnInvalidInput();
        }
    }

    /**
     * A command that cannot go on for a reason outside it, said in one line: a capture file
     * that cannot be written. {@link Failed} prints it without a stack trace.
     */
    static final class Failure extends RuntimeException {
        private final int exitCode;

        Failure(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }

    /** Prints a {@link Failure} as "COMMAND: MESSAGE" and returns its exit code; anything else goes on up. */
    static final class Failed implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) throws Exception {
            if (ex instanceof Failure f) {
                cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + f.getMessage());
                cl.getErr().flush();
                return f.exitCode();
            }
            throw ex;
        }
    }
}
