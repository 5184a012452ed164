package io.aquarium.fish.drivers.docker;

import io.aquarium.fish.core.driver.DriverException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The names task images may take, and which local images a label may run. */
class ImageNamespaceTest {
    private static final String APP = "5f0c6a3e-1d2b-4c3d-8e9f-0a1b2c3d4e5f";
    private static final ImageNamespace IMAGES = new ImageNamespace("fish-image");
    private static final Map<String, String> MADE_BY_A_TASK = Map.of(DockerDriver.LABEL_APPLICATION, APP);

    @Test
    void theImageTaskCommitsToItsApplicationsRepository() {
        assertEquals("fish-image/" + APP + ":latest", IMAGES.imageTaskTarget(APP, null));
        assertEquals("fish-image/" + APP + ":latest", IMAGES.imageTaskTarget(APP, "fish-image/" + APP));
        assertEquals("fish-image/" + APP + ":v2", IMAGES.imageTaskTarget(APP, "fish-image/" + APP + ":v2"));
        assertEquals("fish-image/" + APP + ":v2", IMAGES.imageTaskTarget(APP, "localhost/fish-image/" + APP + ":v2"),
                "the name Podman shows for it");
    }

    @Test
    void anyOtherNameIsRefusedWithTheAllowedOne() {
        for (String other : new String[]{"ubuntu:22.04", "ubuntu", "localhost/fish-test-busybox:latest",
                "fish-image/" + APP + "-x:v1", "fish-image/other-app:latest", "fish-image:" + APP,
                "fish-image/" + APP + "@sha256:0123", "fish-image/" + APP + ":-bad"}) {
            DriverException e = assertThrows(DriverException.class, () -> IMAGES.imageTaskTarget(APP, other), other);
            assertEquals("docker driver: the image task commits only to fish-image/" + APP + "[:tag], not to '"
                    + other + "'", e.getMessage());
        }
    }

    @Test
    void aLabelRunsATasksImageOnlyUnderItsOwnName() {
        assertTrue(IMAGES.mayUse("ubuntu:22.04", Map.of()), "pulled or built by the operator");
        assertTrue(IMAGES.mayUse("ubuntu:22.04", null));
        assertTrue(IMAGES.mayUse("fish-image/" + APP + ":latest", MADE_BY_A_TASK));
        assertTrue(IMAGES.mayUse("localhost/fish-image/" + APP + ":v2", MADE_BY_A_TASK));
        assertTrue(IMAGES.mayUse("ubuntu:" + APP, MADE_BY_A_TASK), "that application's snapshot");

        assertFalse(IMAGES.mayUse("ubuntu:22.04", MADE_BY_A_TASK), "a tag an earlier version let a task take");
        assertFalse(IMAGES.mayUse("ubuntu:other-" + APP, MADE_BY_A_TASK));
        assertFalse(IMAGES.mayUse("fish-image-old:latest", MADE_BY_A_TASK));
    }

    @Test
    void aPrefixIsARepositoryPath() {
        assertThrows(IllegalArgumentException.class, () -> new ImageNamespace("Upper/case"));
        assertEquals("registry.example.com/ci/" + APP + ":latest",
                new ImageNamespace("registry.example.com/ci").imageTaskTarget(APP, null));
    }
}
