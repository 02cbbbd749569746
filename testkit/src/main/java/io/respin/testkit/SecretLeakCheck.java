package io.respin.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when a password of {@link TestSecrets} showed up, while it ran, in a log line
 * ({@link RecordingLoggerFinder}) or in the message of any exception created in this JVM — thrown, caught by an
 * {@code assertThrows}, or only made to complete a future. Exceptions are seen through Java Flight Recorder's
 * {@code jdk.JavaExceptionThrow} event (one recording per test class, without stack traces), so nothing in the code
 * under test needs to cooperate; a message computed by an overridden {@code getMessage()} is not seen.
 *
 * <p>respin's modules run it on every test class: the root pom turns on JUnit's extension auto-detection, and each
 * module's {@code src/test/resources/META-INF/services/org.junit.jupiter.api.extension.Extension} names this class.
 * Another project can do the same, or use {@code @ExtendWith(SecretLeakCheck.class)}.
 */
public final class SecretLeakCheck implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SecretLeakCheck.class);

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Path file = Files.createTempFile("respin-leak-check", ".jfr");
        Recording r = new Recording();
        r.setName("respin-secret-leak-check");
        r.enable("jdk.JavaExceptionThrow").withoutStackTrace();
        r.enable("jdk.JavaErrorThrow").withoutStackTrace();
        r.setDestination(file); // written when it stops: every event of the class, none lost to a flush interval
        r.start();
        ExtensionContext.Store store = context.getStore(NS);
        store.put("recording", r);
        store.put("file", file);
        store.put("lines", RecordingLoggerFinder.LINES.size());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        ExtensionContext.Store store = context.getStore(NS);
        Recording r = store.remove("recording", Recording.class);
        Path file = store.remove("file", Path.class);
        Integer from = store.remove("lines", Integer.class);
        List<String> leaks = new ArrayList<>();
        if (from != null) {
            for (String line : RecordingLoggerFinder.since(from)) {
                check("log line", line, leaks);
            }
        }
        if (r != null) {
            for (String message : exceptionMessages(r, file)) {
                check("exception message", message, leaks);
            }
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError("a test password showed up while " + context.getDisplayName() + " ran ("
                    + leaks.size() + " times; it is shown here as <test password>): " + leaks.subList(0,
                    Math.min(5, leaks.size())));
        }
    }

    private static void check(String what, String text, List<String> leaks) {
        String secret = TestSecrets.foundIn(text);
        if (secret != null) {
            leaks.add(what + ": " + text.replace(secret, "<test password>"));
        }
    }

    /** The messages of the exceptions created while {@code r} ran; stops it and deletes its file. */
    private static List<String> exceptionMessages(Recording r, Path file) throws IOException {
        try (r) {
            r.stop();
            List<String> messages = new ArrayList<>();
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (e.hasField("message")) {
                    String m = e.getString("message");
                    if (m != null) {
                        messages.add(m);
                    }
                }
            }
            return messages;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
