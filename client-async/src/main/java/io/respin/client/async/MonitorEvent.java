package io.respin.client.async;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of MONITOR, parsed: when the server ran the command, in which database, for which client, and the
 * command's arguments (unquoted and unescaped as the server printed them). {@link #line()} keeps the raw text.
 *
 * <pre>{@code
 * client.monitor(e -> System.out.println(e.client() + " ran " + e.args()));
 * }</pre>
 *
 * @param timestampMicros unix time of the command in microseconds
 * @param db              the database index
 * @param client          "ip:port", "unix:/path", or "lua" for commands a script ran
 * @param args            the command name and its arguments
 * @param line            the line as the server sent it
 */
public record MonitorEvent(long timestampMicros, int db, String client, List<String> args, String line) {

    /** Parses {@code 1700000000.123456 [0 127.0.0.1:6379] "SET" "k" "v"}; an unexpected line keeps only its text. */
    public static MonitorEvent parse(String line) {
        try {
            int space = line.indexOf(' ');
            String ts = line.substring(0, space);
            int dot = ts.indexOf('.');
            long micros = Long.parseLong(ts.substring(0, dot)) * 1_000_000 + Long.parseLong(ts.substring(dot + 1));
            int close = line.indexOf(']', space);
            String[] where = line.substring(space + 2, close).split(" ", 2);
            return new MonitorEvent(micros, Integer.parseInt(where[0]), where.length > 1 ? where[1] : "",
                    quoted(line, close + 1), line);
        } catch (RuntimeException e) {
            return new MonitorEvent(0, -1, "", List.of(), line);
        }
    }

    /** The "..." arguments from {@code from}, with the server's escapes (\" \\ \n \r \t \a \b \xHH) undone. */
    private static List<String> quoted(String s, int from) {
        List<String> out = new ArrayList<>();
        int i = s.indexOf('"', from);
        while (i >= 0 && i < s.length()) {
            StringBuilder b = new StringBuilder();
            i++;
            while (i < s.length() && s.charAt(i) != '"') {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    char n = s.charAt(++i);
                    switch (n) {
                        case 'n' -> b.append('\n');
                        case 'r' -> b.append('\r');
                        case 't' -> b.append('\t');
                        case 'a' -> b.append('\u0007');
                        case 'b' -> b.append('\b');
                        case 'x' -> {
                            b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                            i += 2;
                        }
                        default -> b.append(n);
                    }
                } else {
                    b.append(c);
                }
                i++;
            }
            out.add(b.toString());
            i = s.indexOf('"', i + 1);
        }
        return out;
    }
}
