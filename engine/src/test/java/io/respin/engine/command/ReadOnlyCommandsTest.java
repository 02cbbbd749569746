package io.respin.engine.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.respin.testkit.RedisServer;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The read-only table is the server's own: every command and subcommand {@code COMMAND} flags readonly, no other. */
class ReadOnlyCommandsTest {

    @Test
    void theTableIsWhatTheServerFlagsReadOnly() {
        try (RedisServer server = RedisServer.builder().start()) {
            Set<String> flagged = new TreeSet<>();
            for (Object command : (List<?>) server.command("COMMAND")) {
                collect((List<?>) command, flagged);
            }
            String info = (String) server.command("INFO", "server");
            String version = info.substring(info.indexOf("redis_version:") + 14).lines().findFirst().orElseThrow();
            if (version.startsWith("7.0.")) {
                assertEquals(flagged, new TreeSet<>(ReadOnlyCommands.all()),
                        "ReadOnlyCommands must list exactly what redis-server " + version + " flags readonly");
            } else { // a later server adds commands; what it has of ours must still be flagged as we say
                Set<String> notFlagged = new TreeSet<>(ReadOnlyCommands.all());
                notFlagged.removeAll(flagged);
                assertEquals(Set.of(), notFlagged, "redis-server " + version + " no longer flags these readonly");
            }
        }
    }

    /** One COMMAND entry: name, arity, flags, first, last, step, ACL categories, tips, key specs, subcommands. */
    private static void collect(List<?> entry, Set<String> flagged) {
        String name = ((String) entry.get(0)).toUpperCase(Locale.ROOT).replace('|', ' ');
        if (((List<?>) entry.get(2)).contains("readonly")) {
            flagged.add(name);
        }
        if (entry.size() > 9) {
            for (Object sub : (List<?>) entry.get(9)) {
                collect((List<?>) sub, flagged);
            }
        }
    }
}
