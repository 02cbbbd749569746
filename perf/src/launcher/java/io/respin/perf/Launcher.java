package io.respin.perf;

import java.lang.reflect.InvocationTargetException;

/**
 * The perf jar's entry point, compiled for Java 8 so that any {@code java} can load it: on a runtime older than 25
 * it says which Java it found and how to pick JDK 25 (as the build's enforcer rule does for {@code ./mvnw}),
 * instead of the JVM's {@code UnsupportedClassVersionError}; on 25+ it hands the arguments to {@link Main}.
 *
 * <pre>{@code
 * java -jar perf/target/respin-perf.jar --help
 * }</pre>
 */
public final class Launcher {
    /** The first Java release respin runs on (the FFM API is final there). */
    static final int REQUIRED = 25;

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        String refusal = refusal(System.getProperty("java.specification.version"), System.getProperty("java.home"));
        if (refusal != null) {
            System.err.println(refusal);
            System.exit(1);
            return;
        }
        try {
            // by name: this class is compiled for Java 8, Main for 25
            Class.forName("io.respin.perf.Main").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw (Error) cause;
        }
    }

    /** The message for a runtime of {@code specVersion} ("1.8", "17", "25"...) at {@code home}; null if it will do. */
    static String refusal(String specVersion, String home) {
        String v = specVersion.startsWith("1.") ? specVersion.substring(2) : specVersion;
        int dot = v.indexOf('.');
        int feature;
        try {
            feature = Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
        } catch (NumberFormatException e) {
            return null; // an unknown scheme: let the JVM decide
        }
        if (feature >= REQUIRED) {
            return null;
        }
        return "respin needs Java " + REQUIRED + "+, this is Java " + feature + " (" + home + "): set JAVA_HOME to a "
                + "JDK " + REQUIRED + ", e.g. export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64, and run "
                + "\"$JAVA_HOME/bin/java\" -jar perf/target/respin-perf.jar";
    }
}
