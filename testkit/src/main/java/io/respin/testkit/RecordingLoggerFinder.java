package io.respin.testkit;

import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A System.Logger binding for tests: every line logged in this JVM is kept, so that tests can assert what was logged
 * — and what never was (a password: {@link SecretLeakCheck} searches these lines). WARNING and above are also
 * printed, as the default binding would. The testkit does not register it (that would replace the logging of every
 * project using the kit); a module's tests register it in
 * {@code src/test/resources/META-INF/services/java.lang.System$LoggerFinder}:
 *
 * <pre>{@code
 * io.respin.testkit.RecordingLoggerFinder
 * }</pre>
 */
public final class RecordingLoggerFinder extends System.LoggerFinder {
    /** Every line logged by this JVM's tests so far: "LEVEL logger: message | throwable". */
    public static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new Recorder(name);
    }

    /** Every line logged after line {@code from}. */
    public static List<String> since(int from) {
        return LINES.stream().skip(from).toList();
    }

    /** The lines of {@code logger} (or of loggers below it: "io.respin" takes them all) logged after line {@code from}. */
    public static List<String> since(int from, String logger) {
        return LINES.stream().skip(from).filter(l -> {
            String name = l.substring(l.indexOf(' ') + 1, l.indexOf(": "));
            return name.equals(logger) || name.startsWith(logger + ".");
        }).toList();
    }

    private record Recorder(String name) implements System.Logger {
        @Override public String getName() {
            return name;
        }

        @Override public boolean isLoggable(Level level) {
            // respin's loggers at every level; the JDK's from INFO, as the default binding (ProcessBuilder's TRACE
            // lines would show the testkit's redis-server command lines, passwords and all)
            return name.startsWith("io.respin") || level.getSeverity() >= Level.INFO.getSeverity();
        }

        @Override public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            record(level, msg, thrown);
        }

        @Override public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            record(level, params == null || params.length == 0 ? format : MessageFormat.format(format, params), null);
        }

        private void record(Level level, String msg, Throwable thrown) {
            if (!isLoggable(level)) {
                return;
            }
            StringBuilder line = new StringBuilder(level.name()).append(' ').append(name).append(": ").append(msg);
            for (Throwable t = thrown; t != null; t = t.getCause()) {
                line.append(" | ").append(t);
            }
            LINES.add(line.toString());
            if (level.getSeverity() >= Level.WARNING.getSeverity()) {
                System.err.println(line);
            }
        }
    }
}
