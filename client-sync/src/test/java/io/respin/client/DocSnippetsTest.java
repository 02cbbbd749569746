package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The docs cannot rot: every {@code ```java} block of {@code README.md} and {@code docs/*.md} is either the text of
 * a region of a test source file, which compiles and runs it, or explicitly marked as not meant to run.
 *
 * <pre>
 * README.md / docs/x.md                         any module's src/test/java/.../SomeTest.java
 * ─────────────────────                         ────────────────────────────────────────────
 * &lt;!-- snippet: quickstart-sync --&gt;             // snippet: quickstart-sync
 * ```java                          ── equal ──▶  import io.respin.client.RedisClient;      (the regions of one name
 * import io.respin.client.RedisClient;                                                    in one file, joined in
 *                                               // end snippet                            order, each without its
 * try (RedisClient client = ...) {              ...                                       own indentation)
 * ```                                           // snippet: quickstart-sync
 *                                               try (RedisClient client = ...) {
 *                                               // end snippet
 * &lt;!-- snippet: not-run (a signature list) --&gt;
 * ```java                                       (checked by nobody: the reason says why)
 * ```
 * </pre>
 *
 * A snippet may be split into several regions (imports at the top of the file, the code in a test method, a
 * closing brace after the test's assertions); a blank line that ends a region is kept, so the imports' region
 * ends with one. Text is compared after removing the common indentation and trailing blanks. A block without a marker, a name
 * with no region (or two files holding it), a region that no doc shows, and a region in a file without a test
 * all fail. A second test checks that every relative link and anchor in the docs points at something that exists.
 * This test lives in client-sync because its tests are the last to build: it reads the other modules' test
 * sources as text, and each module's own build compiles and runs them.
 */
class DocSnippetsTest {

    private static final Pattern MARK = Pattern.compile("<!-- snippet: (.+?) -->");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern NOT_RUN = Pattern.compile("not-run \\((.+)\\)");
    private static final Pattern FENCE = Pattern.compile("^\\s*```(\\S*)\\s*$");
    private static final Pattern REGION_START = Pattern.compile("^\\s*// snippet: (\\S+)\\s*$");
    private static final Pattern REGION_END = Pattern.compile("^\\s*// end snippet\\s*$");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    /** A {@code ```java} block of a doc: where it is, its marker ({@code null}: none) and its text. */
    record Block(Path doc, int line, String marker, String text) {
        String where() { return ROOT.relativize(doc) + ":" + line; }
    }

    /** The text of one snippet in a test source file, with every file that holds a region of that name. */
    record Region(String text, Set<Path> files) {
    }

    private static final Path ROOT = projectRoot();

    @Test
    void everyJavaBlockOfTheDocsIsRunByATest() {
        List<Block> blocks = javaBlocks();
        Map<String, Region> regions = regions();
        List<String> problems = new ArrayList<>();
        Set<String> shown = new TreeSet<>();
        for (Block b : blocks) {
            if (b.marker() == null) {
                problems.add(b.where() + ": a ```java block without a marker: put <!-- snippet: NAME --> on the line"
                        + " before it and the same code between // snippet: NAME and // end snippet in a test,"
                        + " or <!-- snippet: not-run (why) --> if it is not meant to run");
                continue;
            }
            if (NOT_RUN.matcher(b.marker()).matches()) {
                continue;
            }
            if (!NAME.matcher(b.marker()).matches()) {
                problems.add(b.where() + ": snippet marker '" + b.marker() + "' is neither a name ([a-z0-9-]) nor"
                        + " not-run (reason)");
                continue;
            }
            if (!shown.add(b.marker())) {
                problems.add(b.where() + ": snippet '" + b.marker() + "' is shown twice in the docs: link to it instead");
            }
            Region r = regions.get(b.marker());
            if (r == null) {
                problems.add(b.where() + ": no test source holds '// snippet: " + b.marker() + "'");
            } else if (r.files().size() > 1) {
                problems.add(b.where() + ": snippet '" + b.marker() + "' is in more than one file: " + r.files());
            } else if (!r.text().equals(b.text())) {
                problems.add(b.where() + ": snippet '" + b.marker() + "' differs from "
                        + ROOT.relativize(r.files().iterator().next()) + "\n" + firstDifference(b.text(), r.text()));
            }
        }
        for (var e : regions.entrySet()) {
            Path file = e.getValue().files().iterator().next();
            if (!shown.contains(e.getKey())) {
                problems.add(ROOT.relativize(file) + ": region '" + e.getKey() + "' is shown by no doc: show it or"
                        + " drop its markers");
            }
            if (!read(file).contains("@Test")) {
                problems.add(ROOT.relativize(file) + ": region '" + e.getKey() + "' is in a file with no @Test: nothing runs it");
            }
        }
        assertTrue(blocks.size() > 10, "found only " + blocks.size() + " java blocks under " + ROOT);
        assertEquals("", String.join("\n\n", problems), problems.size() + " snippet problem(s)");
    }

    @Test
    void everyRelativeLinkOfTheDocsPointsAtSomethingThatExists() {
        List<String> problems = new ArrayList<>();
        for (Path doc : docs()) {
            List<String> lines = read(doc).lines().toList();
            boolean inFence = false;
            for (int i = 0; i < lines.size(); i++) {
                if (FENCE.matcher(lines.get(i)).matches()) {
                    inFence = !inFence;
                }
                if (inFence) {
                    continue;
                }
                Matcher m = LINK.matcher(lines.get(i));
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("^[a-z]+:.*")) {
                        continue; // https:, mailto:
                    }
                    int hash = target.indexOf('#');
                    String file = hash < 0 ? target : target.substring(0, hash);
                    Path path = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
                    String where = ROOT.relativize(doc) + ":" + (i + 1) + ": " + target;
                    if (!Files.exists(path)) {
                        problems.add(where + ": no such file");
                    } else if (hash >= 0 && !anchors(path).contains(target.substring(hash + 1))) {
                        problems.add(where + ": no heading with that anchor in " + ROOT.relativize(path));
                    }
                }
            }
        }
        assertEquals("", String.join("\n", problems), problems.size() + " broken link(s)");
    }

    // ---------------------------------------------------------------------------------------------------- docs

    static List<Path> docs() {
        List<Path> docs = new ArrayList<>();
        docs.add(ROOT.resolve("README.md"));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    static List<Block> javaBlocks() {
        List<Block> blocks = new ArrayList<>();
        for (Path doc : docs()) {
            List<String> lines = read(doc).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                Matcher open = FENCE.matcher(lines.get(i));
                if (!open.matches()) {
                    continue;
                }
                int start = i;
                List<String> body = new ArrayList<>();
                for (i++; i < lines.size() && !FENCE.matcher(lines.get(i)).matches(); i++) {
                    body.add(lines.get(i));
                }
                if (open.group(1).equals("java")) {
                    Matcher mark = start > 0 ? MARK.matcher(lines.get(start - 1).trim()) : null;
                    String marker = mark != null && mark.matches() ? mark.group(1) : null;
                    blocks.add(new Block(doc, start + 1, marker, normalise(body)));
                }
            }
        }
        return blocks;
    }

    /** The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces to hyphens, -1 -2 for repeats. */
    private static Set<String> anchors(Path md) {
        Set<String> anchors = new TreeSet<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        boolean inFence = false;
        for (String line : read(md).lines().toList()) {
            if (FENCE.matcher(line).matches()) {
                inFence = !inFence;
            }
            if (inFence || !line.startsWith("#")) {
                continue;
            }
            String slug = line.replaceFirst("^#+\\s*", "").toLowerCase()
                    .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum);
            anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
        }
        return anchors;
    }

    // ---------------------------------------------------------------------------------------------- test sources

    /** Every {@code // snippet: NAME} … {@code // end snippet} region of every module's test sources, by name. */
    static Map<String, Region> regions() {
        Map<String, Map<Path, List<String>>> parts = new LinkedHashMap<>();
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path tests : modules.map(m -> m.resolve("src/test/java")).filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> s = Files.walk(tests)) {
                    s.filter(p -> p.toString().endsWith(".java")).sorted().forEach(sources::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path file : sources) {
            List<String> lines = read(file).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                Matcher start = REGION_START.matcher(lines.get(i));
                if (!start.matches()) {
                    continue;
                }
                int from = i;
                List<String> body = new ArrayList<>();
                for (i++; i < lines.size() && !REGION_END.matcher(lines.get(i)).matches(); i++) {
                    if (REGION_START.matcher(lines.get(i)).matches()) {
                        throw new AssertionError(ROOT.relativize(file) + ":" + (i + 1) + ": a snippet region inside"
                                + " the one opened at line " + (from + 1));
                    }
                    body.add(lines.get(i));
                }
                if (i == lines.size()) {
                    throw new AssertionError(ROOT.relativize(file) + ":" + (from + 1) + ": '// snippet: "
                            + start.group(1) + "' has no '// end snippet'");
                }
                parts.computeIfAbsent(start.group(1), k -> new LinkedHashMap<>())
                        .computeIfAbsent(file, k -> new ArrayList<>()).addAll(dedent(body));
            }
        }
        Map<String, Region> regions = new LinkedHashMap<>();
        parts.forEach((name, byFile) -> regions.put(name, new Region(
                normalise(byFile.values().iterator().next()), byFile.keySet())));
        return regions;
    }

    // ---------------------------------------------------------------------------------------------------- text

    /** Lines without their common indentation and trailing blanks, without blank lines at either end. */
    static String normalise(List<String> lines) {
        List<String> out = dedent(lines);
        while (!out.isEmpty() && out.getFirst().isEmpty()) {
            out.removeFirst();
        }
        while (!out.isEmpty() && out.getLast().isEmpty()) {
            out.removeLast();
        }
        return String.join("\n", out);
    }

    /** Lines without their common indentation and trailing blanks. */
    static List<String> dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            out.add(l.isBlank() ? "" : l.substring(indent).stripTrailing());
        }
        return out;
    }

    private static String firstDifference(String doc, String test) {
        String[] a = doc.split("\n", -1);
        String[] b = test.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "<end of block>";
            String y = i < b.length ? b[i] : "<end of region>";
            if (!x.equals(y)) {
                return "  line " + (i + 1) + " of the snippet\n  doc:  " + x + "\n  test: " + y;
            }
        }
        return "";
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository root: surefire runs in the module's directory, so the first parent that holds README.md. */
    static Path projectRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs"))) {
                return p;
            }
        }
        throw new IllegalStateException("no README.md with a docs/ folder above " + Path.of("").toAbsolutePath());
    }
}
