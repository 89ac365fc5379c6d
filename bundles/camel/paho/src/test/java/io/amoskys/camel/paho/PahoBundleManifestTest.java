package io.amoskys.camel.paho;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/**
 * The bundle's wiring as the Camel extender needs it: the component is only registered when the
 * bundle imports org.apache.camel from the runtime bundle (not embeds it) and keeps Camel's
 * service files; the Paho client must come from its own bundle.
 */
class PahoBundleManifestTest {
    private static final Path CLASSES = Path.of("target", "classes");

    private static Manifest manifest() throws IOException {
        try (InputStream in = Files.newInputStream(CLASSES.resolve("META-INF/MANIFEST.MF"))) {
            return new Manifest(in);
        }
    }

    @Test
    void importsCamelAndPahoInsteadOfEmbeddingThem() throws IOException {
        String imports = manifest().getMainAttributes().getValue("Import-Package");
        String[] camel = System.getProperty("camel.version").split("\\.");
        assertTrue(imports.contains("org.apache.camel;version=\"[" + camel[0] + "." + camel[1] + ",5)\""), imports);
        assertTrue(imports.contains("org.eclipse.paho.client.mqttv3;version=\"[1.2,2)\""), imports);
        assertTrue(Files.notExists(CLASSES.resolve("org/apache/camel/support")), "camel-support must not be embedded");
        assertTrue(Files.notExists(CLASSES.resolve("org/eclipse/paho")), "the Paho client must not be embedded");
    }

    @Test
    void exportsTheComponentAtTheCamelVersion() throws IOException {
        String exports = manifest().getMainAttributes().getValue("Export-Package");
        String camel = System.getProperty("camel.version");
        assertTrue(exports.startsWith("org.apache.camel.component.paho;version=\"" + camel + "\""), exports);
        assertEquals("io.amoskys.camel.paho", manifest().getMainAttributes().getValue("Bundle-SymbolicName"));
    }

    @Test
    void keepsTheServiceFileTheExtenderRegistersTheComponentFrom() throws IOException {
        String resolver = Files.readString(CLASSES.resolve("META-INF/services/org/apache/camel/component/paho"));
        assertTrue(resolver.contains("class=org.apache.camel.component.paho.PahoComponent"), resolver);
    }
}
