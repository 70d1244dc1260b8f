package org.tcpip4j.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tcpip4j.cli.service.Connections;

/**
 * The one naming of counters across the command: a counter is {@code layer.counter}
 * ({@code tcp.tx.retransmits}, {@code netif.rx.packets}, {@code services.http.requests}),
 * whether printed by {@code demo}, by {@code serve}'s periodic stats and exit summary, by
 * {@code perf}, or shown on the HTTP server's {@code /} and {@code /stats} pages.
 */
final class CounterReport {

    private static final int WIDTH = 100;

    private CounterReport() {
    }

    /** Every counter under its full name, in layer order. */
    static Map<String, Long> flatten(Map<String, Map<String, Long>> byLayer) {
        Map<String, Long> flat = new LinkedHashMap<>();
        byLayer.forEach((layer, counters) -> counters.forEach((name, value) -> flat.put(layer + "." + name, value)));
        return flat;
    }

    /** The sum of the counter {@code name} of {@code layer}, 0 when missing. */
    static long get(Map<String, Map<String, Long>> byLayer, String layer, String name) {
        return byLayer.getOrDefault(layer, Map.of()).getOrDefault(name, 0L);
    }

    /**
     * The non-zero counters as {@code name=value}, a line per layer (wrapped at 100
     * columns), each line starting with {@code indent}.
     */
    static List<String> lines(Map<String, Map<String, Long>> byLayer, String indent) {
        List<String> out = new ArrayList<>();
        byLayer.forEach((layer, counters) -> {
            StringBuilder line = new StringBuilder(indent);
            boolean lineEmpty = true;
            for (Map.Entry<String, Long> c : counters.entrySet()) {
                if (c.getValue() == 0) {
                    continue;
                }
                String entry = layer + "." + c.getKey() + "=" + c.getValue();
                if (!lineEmpty && line.length() + 1 + entry.length() > WIDTH) {
                    out.add(line.toString());
                    line = new StringBuilder(indent).append("  ");
                    lineEmpty = true;
                }
                if (!lineEmpty) {
                    line.append(' ');
                }
                line.append(entry);
                lineEmpty = false;
            }
            if (!lineEmpty) {
                out.add(line.toString());
            }
        });
        return out;
    }

    /** Prints {@link #lines}. */
    static void print(PrintStream out, Map<String, Map<String, Long>> byLayer, String indent) {
        lines(byLayer, indent).forEach(out::println);
    }

    /** Every counter, zero or not, one {@code layer.counter=value} a line: the {@code /stats} page. */
    static String text(Map<String, Map<String, Long>> byLayer) {
        StringBuilder s = new StringBuilder();
        flatten(byLayer).forEach((name, value) -> s.append(name).append('=').append(value).append('\n'));
        return s.toString();
    }

    /**
     * The HTTP server's {@code /} page: a title, a few facts about the stack, the open TCP
     * connections (as {@code /connections} lists them), and every counter in a table by
     * layer. It reloads itself every two seconds.
     */
    static String html(String title, Map<String, String> facts, List<Connections.Line> connections,
                       Map<String, Map<String, Long>> byLayer) {
        StringBuilder s = new StringBuilder(8192);
        s.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"2\">")
                .append("<title>").append(escape(title)).append("</title>")
                .append("<style>body{font-family:sans-serif;margin:2em}td,th{padding:2px 12px;text-align:left}")
                .append("td.v{text-align:right;font-family:monospace}td.i{font-family:monospace;font-size:90%}")
                .append("th{background:#eee}</style></head><body>\n")
                .append("<h1>").append(escape(title)).append("</h1>\n<table>\n");
        facts.forEach((k, v) -> s.append("<tr><th>").append(escape(k)).append("</th><td>").append(escape(v))
                .append("</td></tr>\n"));
        s.append("</table>\n<h2>Connections</h2>\n<table>\n")
                .append("<tr><th>service</th><th>local</th><th>remote</th><th>state</th></tr>\n");
        for (Connections.Line c : connections) {
            s.append("<tr><td>").append(escape(c.service())).append("</td><td>").append(escape(c.src()))
                    .append("</td><td>").append(escape(c.dst())).append("</td><td class=\"i\">")
                    .append(escape(c.info())).append("</td></tr>\n");
        }
        if (connections.isEmpty()) {
            s.append("<tr><td colspan=\"4\">none open</td></tr>\n");
        }
        s.append("</table>\n<h2>Counters</h2>\n<table>\n");
        byLayer.forEach((layer, counters) -> {
            s.append("<tr><th colspan=\"2\">").append(escape(layer)).append("</th></tr>\n");
            counters.forEach((name, value) -> s.append("<tr><td>").append(escape(layer + "." + name))
                    .append("</td><td class=\"v\">").append(value).append("</td></tr>\n"));
        });
        s.append("</table>\n<p>The same counters as text: <a href=\"/stats\">/stats</a>; the connections: ")
                .append("<a href=\"/connections\">/connections</a>. ")
                .append("Bytes of the chargen pattern: <a href=\"/bytes/1000\">/bytes/N</a>.</p>\n</body></html>\n");
        return s.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
