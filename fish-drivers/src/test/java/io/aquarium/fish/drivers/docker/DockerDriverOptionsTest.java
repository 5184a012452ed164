package io.aquarium.fish.drivers.docker;

import io.aquarium.fish.core.driver.DriverException;
import io.aquarium.fish.core.model.RawJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DockerDriverOptionsTest {
    @Test
    void imageCommandAndEnv() {
        DockerDriverOptions o = DockerDriverOptions.parse(new RawJson(
                "{\"image\":\"debian:12\",\"command\":[\"sleep\",\"1\"],\"env\":{\"A\":\"b\"},\"other\":1}"));
        assertEquals(new DockerDriverOptions("debian:12", List.of("sleep", "1"), Map.of("A", "b")), o);
    }

    @Test
    void commandAndEnvAreOptionalAndAMissingTagIsLatest() {
        assertEquals(new DockerDriverOptions("registry:5000/team/app:latest", List.of(), Map.of()),
                DockerDriverOptions.parse(new RawJson("{\"image\":\"registry:5000/team/app\"}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"image\":\"\"}", "{\"image\":1}", "{\"image\":\"a b\"}",
            "{\"image\":\"-x\"}", "{\"image\":\"x\",\"command\":\"sleep 1\"}", "{\"image\":\"x\",\"env\":[]}",
            "[]", "not json"})
    void malformedOptionsAreRejected(String json) {
        DriverException e = assertThrows(DriverException.class, () -> DockerDriverOptions.parse(new RawJson(json)));
        assertTrue(e.getMessage().startsWith("docker driver"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
            "debian:12, debian, 12",
            "localhost/fish-busybox:latest, localhost/fish-busybox, latest",
            "registry:5000/app:v1, registry:5000/app, v1",
            "registry:5000/app, registry:5000/app, latest",
            "app@sha256:abc, app, latest",
    })
    void repositoryAndTag(String image, String repository, String tag) {
        assertEquals(repository, DockerDriverOptions.repository(image));
        assertEquals(tag, DockerDriverOptions.tag(DockerDriverOptions.withTag(image)));
    }
}
