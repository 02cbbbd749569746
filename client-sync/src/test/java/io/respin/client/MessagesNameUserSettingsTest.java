package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.RedisConnectionException;
import io.respin.RedisTimeoutException;
import io.respin.client.async.RedisClientBuilder;
import io.respin.testkit.RedisServer;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A RedisClient user sets the URI or RedisClientBuilder: error messages name those, and every builder method a
 * message tells a user to call exists. (Messages used to point at IoSettings / ConnectionSettings / IoCommand.timeout,
 * which a RedisClient user cannot reach, and a timed-out sync command was named "SyncCall".)
 */
class MessagesNameUserSettingsTest {

    @Test
    void everyBuilderMethodAMessageNamesExists() throws IOException {
        Pattern named = Pattern.compile("RedisClientBuilder\\.(\\w+)");
        Set<String> methods = Arrays.stream(RedisClientBuilder.class.getMethods()).map(Method::getName)
                .collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>();
        int seen = 0;
        Path root = Path.of("..").toAbsolutePath().normalize();
        for (String module : new String[] {"engine", "ringbuffer-io", "client-sync", "client-async"}) {
            try (Stream<Path> files = Files.walk(root.resolve(module).resolve("src/main/java"))) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    for (String line : Files.readAllLines(f)) {
                        if (!line.contains("\"")) {
                            continue; // javadoc and code, not a message
                        }
                        Matcher m = named.matcher(line);
                        while (m.find()) {
                            seen++;
                            if (!methods.contains(m.group(1))) {
                                missing.add(m.group(1) + " (" + f.getFileName() + ")");
                            }
                        }
                    }
                }
            }
        }
        assertTrue(seen >= 8, "messages name the builder: " + seen);
        assertTrue(missing.isEmpty(), "messages tell users to call builder methods that do not exist: " + missing);
    }

    @Test
    void aWrongPasswordNamesTheUriAndTheBuilder() {
        try (RedisServer server = RedisServer.builder().requirePass("right").start()) {
            RedisConnectionException e = assertThrows(RedisConnectionException.class,
                    () -> RedisClient.builder(server.uri()).credentials(null, "wrong").build());
            assertTrue(e.getMessage().contains("WRONGPASS") && e.getMessage().contains("RedisClientBuilder.credentials")
                    && e.getMessage().contains("URI"), e.getMessage());
            assertFalse(e.getMessage().contains("wrong"), "no password in the message: " + e.getMessage());
            RedisConnectionException none = assertThrows(RedisConnectionException.class,
                    () -> RedisClient.builder(server.uri()).build());
            assertTrue(none.getMessage().contains("NOAUTH") && none.getMessage().contains("RedisClientBuilder.credentials"),
                    none.getMessage());
        }
    }

    @Test
    void aTimeoutNamesTheCommandAndTheBuilderSetting() {
        try (RedisClient client = RedisClient.builder(Redis.server().uri()).commandTimeout(Duration.ofMillis(200))
                .build()) {
            Redis.client(3).sync().execute("CLIENT", "PAUSE", "1000", "ALL");
            try {
                RedisTimeoutException e = assertThrows(RedisTimeoutException.class, () -> client.sync().get("t"));
                assertTrue(e.getMessage().startsWith("GET ") && e.getMessage().contains("RedisClientBuilder.commandTimeout")
                        && e.getMessage().contains("?timeout="), e.getMessage());
            } finally {
                Redis.client(3).sync().execute("CLIENT", "UNPAUSE");
            }
        }
    }
}
