package io.agentnexus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The same specification, run against the packaged application (target/quarkus-app). */
@QuarkusIntegrationTest
class PlatformIT extends PlatformTest {

    /** application.properties strips the signature by file name; a Bouncy Castle that renames it would undo that. */
    @Test
    void bouncyCastleShipsUnsignedSoThatItsClassesCanBeInTheAotCache() throws IOException {
        List<Path> jars;
        try (Stream<Path> lib = Files.list(Path.of("target/quarkus-app/lib/main"))) {
            jars = lib.filter(jar -> jar.getFileName().toString().startsWith("org.bouncycastle.bcprov-")).toList();
        }
        assertEquals(1, jars.size(), "the packaged Bouncy Castle provider: " + jars);
        try (JarFile jar = new JarFile(jars.getFirst().toFile(), true)) {
            JarEntry entry = jar.getJarEntry("org/bouncycastle/jce/provider/BouncyCastleProvider.class");
            try (InputStream in = jar.getInputStream(entry)) {
                in.readAllBytes(); // the JDK knows an entry's signers once it has read it
            }
            assertNull(entry.getCodeSigners(), "signed by " + jars.getFirst());
        }
    }
}
