package io.respin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module's packages depend on each other one way only, read from the sources: the API package may use the
 * internals, the internals never use the API package (so there is no cycle), and the leaves use no other package
 * of the module. A new import that runs back up fails here, naming the file.
 * <pre>
 *   io.respin.io ──▶ loop ──▶ net, buffer, handoff
 * </pre>
 */
class PackageLayersTest {

    private static final Path SOURCES = Path.of("src/main/java/io/respin/io");
    /** For each package of the module: the other packages of the module it may use. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "", Set.of("loop", "net", "buffer", "handoff", "log"),
            "loop", Set.of("net", "buffer", "handoff", "log"),
            "net", Set.of(),
            "buffer", Set.of(),
            "handoff", Set.of("log"),
            "log", Set.of());
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.respin\\.io\\.(?:([a-z]+)\\.)?[A-Z]");

    @Test
    void packagesDependOneWayOnly() throws IOException {
        List<String> wrong = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(f.getParent()).toString().replace('/', '.');
                seen.add(pkg);
                assertTrue(ALLOWED.containsKey(pkg), "a package this test does not know: io.respin.io." + pkg);
                Matcher m = REFERENCE.matcher(code(Files.readString(f)));
                while (m.find()) {
                    String used = m.group(1) == null ? "" : m.group(1);
                    if (!used.equals(pkg) && !ALLOWED.get(pkg).contains(used)) {
                        wrong.add(SOURCES.relativize(f) + " uses io.respin.io" + (used.isEmpty() ? "" : "." + used));
                    }
                }
            }
        }
        assertEquals(ALLOWED.keySet(), seen, "every package has sources");
        assertTrue(wrong.isEmpty(), "references that run against the layering: " + wrong);
    }

    @Test
    void theModuleExportsOnlyTheApiPackage() throws IOException {
        String module = code(Files.readString(Path.of("src/main/java/module-info.java")));
        Matcher m = Pattern.compile("exports\\s+([\\w.]+)").matcher(module);
        List<String> exported = new ArrayList<>();
        while (m.find()) {
            exported.add(m.group(1));
        }
        assertEquals(List.of("io.respin.io"), exported);
    }

    /** The source without comments (javadoc may name any type). */
    private static String code(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
    }
}
