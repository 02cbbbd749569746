package io.respin.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respin.client.async.AsyncCommandMethods;
import io.respin.client.sync.SyncCommandMethods;
import io.respin.engine.command.Command;
import io.respin.engine.command.Commands;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each command is defined once, in the engine's catalogue; both facades have exactly one method per catalogue
 * method, with the same parameters, returning T (sync) and CompletableFuture&lt;T&gt; (async).
 */
class FacadeParityTest {

    @Test
    void everyCatalogueMethodIsInBothFacades() throws Exception {
        Set<String> catalogue = new TreeSet<>();
        for (Method family : Commands.class.getDeclaredMethods()) {
            if (family.getParameterCount() == 0 && family.getReturnType().getPackage() == Commands.class.getPackage()
                    && family.getReturnType().getSimpleName().endsWith("Commands")) {
                for (Method m : family.getReturnType().getDeclaredMethods()) {
                    if (Modifier.isPublic(m.getModifiers()) && m.getReturnType() == Command.class) {
                        catalogue.add(signature(m));
                    }
                }
            }
        }
        assertTrue(catalogue.size() > 150, "catalogue has " + catalogue.size() + " commands");
        assertEquals(catalogue, facade(SyncCommandMethods.class), "sync facade differs from the catalogue");
        assertEquals(catalogue, facade(AsyncCommandMethods.class), "async facade differs from the catalogue");
        for (Method m : AsyncCommandMethods.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers())) {
                assertEquals(java.util.concurrent.CompletableFuture.class, m.getReturnType(), m.toString());
                Method sync = SyncCommandMethods.class.getMethod(m.getName(), m.getParameterTypes());
                var asyncT = ((ParameterizedType) m.getGenericReturnType()).getActualTypeArguments()[0];
                assertEquals(asyncT.getTypeName(), sync.getGenericReturnType().getTypeName(), m.getName());
            }
        }
    }

    @Test
    void generatedFacadesAreUpToDate() throws Exception {
        Path script = Path.of("..", "tools", "gen_facades.py");
        if (!Files.exists(script)) {
            return; // run from another directory: the parity test above still holds
        }
        Process p;
        try {
            p = new ProcessBuilder("python3", script.toString(), "--check").redirectErrorStream(true).start();
        } catch (java.io.IOException noPython) {
            org.junit.jupiter.api.Assumptions.abort("python3 is not installed: " + noPython.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    private static Set<String> facade(Class<?> c) {
        return Arrays.stream(c.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()))
                .map(FacadeParityTest::signature)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(",", "(", ")"));
    }
}
