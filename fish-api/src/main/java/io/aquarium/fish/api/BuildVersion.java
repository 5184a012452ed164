package io.aquarium.fish.api;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.jar.Manifest;

/**
 * {@code --version}: the Maven project version and the git commit the jar was built from, both read
 * from the jar's manifest ({@code Implementation-Version}, {@code Git-Commit}); "unknown" for what the
 * build did not know (not built as a jar, or not from a git checkout).
 */
final class BuildVersion implements CommandLine.IVersionProvider {
    static final String UNKNOWN = "unknown";

    @Override
    public String[] getVersion() {
        Manifest manifest = manifest();
        String version = attribute(manifest, "Implementation-Version");
        String commit = attribute(manifest, "Git-Commit");
        return new String[] {"aquarium-fish " + version + " (commit " + commit + ")"};
    }

    static String attribute(Manifest manifest, String name) {
        String value = manifest == null ? null : manifest.getMainAttributes().getValue(name);
        // An unresolved ${...} is what Maven leaves when the build had no value for it.
        return value == null || value.isBlank() || value.contains("${") ? UNKNOWN : value.strip();
    }

    /** This class's own jar's manifest, or null (classes on a plain class path). */
    private static Manifest manifest() {
        URL self = BuildVersion.class.getResource(BuildVersion.class.getSimpleName() + ".class");
        if (self == null || !"jar".equals(self.getProtocol())) {
            return null;
        }
        String url = self.toString();
        String manifestUrl = url.substring(0, url.indexOf("!/") + 2) + "META-INF/MANIFEST.MF";
        try (InputStream in = new URL(manifestUrl).openStream()) {
            return new Manifest(in);
        } catch (IOException e) {
            return null;
        }
    }
}
