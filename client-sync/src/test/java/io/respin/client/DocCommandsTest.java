package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The docs' shell and XML blocks cannot rot either (the Java ones are {@link DocSnippetsTest}'s): every artifact a
 * dependency block names is a module of this build at its version, every jar a command runs is the one the build
 * makes, every {@code -pl} module exists, and the README's test command is the one {@code .ci/run} runs.
 */
class DocCommandsTest {

    private static final Path ROOT = DocSnippetsTest.projectRoot();
    private static final Pattern BLOCK = Pattern.compile("(?s)```(bash|xml)\\n(.*?)```");
    private static final Pattern DEPENDENCY = Pattern.compile(
            "<artifactId>([\\w.-]+)</artifactId><version>([\\w.-]+)</version>");
    private static final Pattern JAR = Pattern.compile("\\b([a-z-]+)/target/([\\w.<>-]+\\.jar)");
    private static final Pattern MODULES = Pattern.compile("-pl ([\\w,-]+)");

    @Test
    void dependencyBlocksNameThisBuildsArtifactsAtItsVersion() throws IOException {
        Map<String, String> modules = modules();
        String version = version();
        int checked = 0;
        for (String[] block : blocks("xml")) {
            Matcher m = DEPENDENCY.matcher(block[1]);
            while (m.find()) {
                assertTrue(modules.containsValue(m.group(1)), block[0] + ": no module builds " + m.group(1));
                assertEquals(version, m.group(2), block[0] + ": " + m.group(1) + " is at " + version);
                checked++;
            }
        }
        assertTrue(checked >= 2, "the README's and the test kit's dependency blocks: " + checked);
    }

    @Test
    void commandsRunTheJarsTheBuildMakesAndNameRealModules() throws IOException {
        Map<String, String> modules = modules();
        String version = version();
        int jars = 0;
        for (String[] block : blocks("bash")) {
            Matcher j = JAR.matcher(block[1]);
            while (j.find()) {
                String dir = j.group(1);
                assertTrue(modules.containsKey(dir), block[0] + ": no module " + dir);
                String pom = Files.readString(ROOT.resolve(dir).resolve("pom.xml"));
                Matcher fn = Pattern.compile("<finalName>([\\w.-]+)</finalName>").matcher(pom);
                String expected = (fn.find() ? fn.group(1) : modules.get(dir) + "-" + version) + ".jar";
                assertEquals(expected, j.group(2).replace("<version>", version), block[0] + ": the jar " + dir
                        + " builds");
                jars++;
            }
            Matcher pl = MODULES.matcher(block[1]);
            while (pl.find()) {
                for (String module : pl.group(1).split(",")) {
                    assertTrue(modules.containsKey(module), block[0] + ": -pl names no module " + module);
                }
            }
        }
        assertTrue(jars >= 3, "the perf and engine jars are run by the docs: " + jars);
    }

    @Test
    void theReadmesTestCommandIsWhatCiRuns() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher m = BLOCK.matcher(readme);
        assertTrue(m.find(), "the README starts with its two commands");
        String commands = m.group(2);
        String ci = Files.readString(ROOT.resolve(".ci/run"));
        String test = commands.lines().filter(l -> l.startsWith("./mvnw -B verify")).findFirst().orElseThrow();
        assertTrue(ci.lines().anyMatch(l -> l.trim().equals(test.trim())), ".ci/run runs '" + test + "'");
        assertTrue(commands.contains("perf/target/respin-perf.jar"), "and the first command runs the benchmark");
    }

    /** Module directory -> artifactId. */
    private static Map<String, String> modules() throws IOException {
        Map<String, String> m = new HashMap<>();
        try (var dirs = Files.list(ROOT)) {
            for (Path d : dirs.filter(p -> Files.exists(p.resolve("pom.xml"))).toList()) {
                String pom = Files.readString(d.resolve("pom.xml"));
                Matcher a = Pattern.compile("</parent>\\s*<artifactId>([\\w.-]+)</artifactId>").matcher(pom);
                if (a.find()) {
                    m.put(d.getFileName().toString(), a.group(1));
                }
            }
        }
        return m;
    }

    private static String version() throws IOException {
        Matcher v = Pattern.compile("<artifactId>respin-parent</artifactId>\\s*<version>([\\w.-]+)</version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertTrue(v.find());
        return v.group(1);
    }

    /** {where, text} of every block of that language in the README and docs/. */
    private static List<String[]> blocks(String language) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (Path doc : DocSnippetsTest.docs()) {
            Matcher m = BLOCK.matcher(Files.readString(doc));
            while (m.find()) {
                if (m.group(1).equals(language)) {
                    out.add(new String[] {ROOT.relativize(doc).toString(), m.group(2)});
                }
            }
        }
        return out;
    }
}
