package io.respin.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The passwords the tests of this JVM gave to servers ({@link RedisServer.Builder#requirePass},
 * {@link RedisServer.Builder#aclUser}) or registered themselves (a password set later with {@code CONFIG SET
 * requirepass}): what {@link SecretLeakCheck} looks for in every log line and exception message. A password too
 * common to search for — shorter than 6 characters, or one plain lowercase word ("secret", "respin") — is kept but
 * not {@linkplain #searchable() searched}: use a distinctive one ({@code "Pw-l0g-s3cret"}) where the check matters.
 *
 * <pre>{@code
 * TestSecrets.register("rotated-Pw-1");   // before CONFIG SET requirepass rotated-Pw-1
 * }</pre>
 */
public final class TestSecrets {

    private static final CopyOnWriteArrayList<String> SECRETS = new CopyOnWriteArrayList<>();
    private static final Pattern PLAIN_WORD = Pattern.compile("[a-z]+");

    private TestSecrets() {
    }

    /** Remembers {@code password} as a secret of this JVM's tests (null and duplicates are ignored). */
    public static void register(String password) {
        if (password != null) {
            SECRETS.addIfAbsent(password);
        }
    }

    /** Every secret registered so far. */
    public static List<String> all() {
        return List.copyOf(SECRETS);
    }

    /** The secrets distinctive enough that finding one in a text means it leaked. */
    public static List<String> searchable() {
        return SECRETS.stream().filter(TestSecrets::distinctive).toList();
    }

    /** At least 6 characters and not one plain lowercase word. */
    static boolean distinctive(String password) {
        return password.length() >= 6 && !PLAIN_WORD.matcher(password).matches();
    }

    /** The first searchable secret {@code text} contains, or null. */
    public static String foundIn(String text) {
        if (text == null) {
            return null;
        }
        for (String s : SECRETS) {
            if (distinctive(s) && text.contains(s)) {
                return s;
            }
        }
        return null;
    }
}
