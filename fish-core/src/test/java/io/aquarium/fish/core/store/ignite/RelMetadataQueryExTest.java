package io.aquarium.fish.core.store.ignite;

import org.apache.calcite.rel.metadata.JaninoRelMetadataProvider;
import org.apache.ignite.internal.processors.query.calcite.metadata.RelMetadataQueryEx;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * fish-core replaces Ignite's {@code RelMetadataQueryEx} to drop a class-path scan that made the
 * first SQL query of a node take seconds (and time out on a busy machine). These tests fail when the
 * replacement stops being the class in use, or when Ignite or Calcite move to versions it was not
 * checked against.
 */
class RelMetadataQueryExTest {
    @Test
    void theProjectsReplacementIsTheClassInUse() throws URISyntaxException {
        Path from = Path.of(RelMetadataQueryEx.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        // fish-core's classes directory when testing fish-core, fish-core's jar from the other modules.
        assertTrue(Files.isDirectory(from) || from.getFileName().toString().startsWith("fish-core"),
                "RelMetadataQueryEx was loaded from " + from);
        assertNotNull(RelMetadataQueryEx.create(), "a metadata query can be made without the scan");
    }

    @Test
    void theScanLibraryIsNotOnTheClassPath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.reflections.Reflections"));
    }

    /**
     * The original fed its scan to {@code JaninoRelMetadataProvider.register}, a no-op in these versions.
     * On an upgrade, compare the new original with the replacement, then update these versions.
     */
    @Test
    void writtenForTheseVersions() {
        assertEquals("2.17.0", org.apache.ignite.internal.processors.query.calcite.CalciteQueryProcessor.class
                .getPackage().getImplementationVersion(), "ignite-calcite version");
        assertEquals("1.37.0", JaninoRelMetadataProvider.class.getPackage().getImplementationVersion(),
                "calcite-core version");
    }
}
