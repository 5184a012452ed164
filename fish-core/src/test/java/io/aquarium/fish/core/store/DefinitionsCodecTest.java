package io.aquarium.fish.core.store;

import io.aquarium.fish.core.model.Authentication;
import io.aquarium.fish.core.model.LabelDefinition;
import io.aquarium.fish.core.model.RawJson;
import io.aquarium.fish.core.model.Resources;
import io.aquarium.fish.core.model.ResourcesDisk;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefinitionsCodecTest {
    private final DefinitionsCodec codec = new DefinitionsCodec();

    @Test
    void roundTripsEveryField() {
        Map<String, ResourcesDisk> disks = new LinkedHashMap<>();
        disks.put("zz", new ResourcesDisk("hfs+", "Data", 100, true, "snap-1"));
        disks.put("aa", new ResourcesDisk("exfat", "", 5, false, ""));
        LabelDefinition full = new LabelDefinition("vmx/big",
                new Resources(4, 8, disks, "nat", List.of("OS:darwin", "Arch:*"), true, false, true, "2h"),
                new RawJson("{\"image\":\"macos\"}"), new Authentication("admin", "pw", "key\nline", 2222));
        LabelDefinition minimal = new LabelDefinition("test",
                new Resources(0, 0, null, null, null, false, true, false, null), null, null);

        List<LabelDefinition> decoded = codec.decode(codec.encode(List.of(full, minimal)));

        assertEquals(List.of(full, minimal), decoded);
        assertEquals(List.of("zz", "aa"), List.copyOf(decoded.get(0).resources().disks().keySet()));
        assertNull(decoded.get(1).authentication());
        assertEquals(List.of(), codec.decode(codec.encode(List.of())));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{ \"b\" : 1 ,\"a\":[ 1.50, \"x\\u00e9\u00fc\", 1e3 ] }",
            "{}",
            "[1,2 ,3]",
            "\"just text\"",
            "\"\"",
            "42",
            "-0.0",
            "true",
            "null",
            " {\"padded\":true} ",
            "\n{}\n",
            "not json",
            "{\"unclosed\":",
            "{} {}",
            ""
    })
    void keepsOptionsByteIdentical(String options) {
        LabelDefinition d = new LabelDefinition("test",
                new Resources(1, 1, null, null, null, false, false, false, null), new RawJson(options), null);

        LabelDefinition decoded = codec.decode(codec.encode(List.of(d, d))).get(1);

        assertEquals(options, decoded.options().json());
    }

    @Test
    void embedsValidOptionsRaw() {
        LabelDefinition d = new LabelDefinition("test",
                new Resources(1, 1, null, null, null, false, false, false, null), new RawJson("{ \"a\" : 1 }"), null);

        String encoded = codec.encode(List.of(d));

        assertTrue(encoded.contains("\"options\":{ \"a\" : 1 }"), encoded);
    }

    @Test
    void rejectsTextThatIsNotADefinitionList() {
        assertThrows(IllegalArgumentException.class, () -> codec.decode("{\"driver\":\"test\"}"));
        assertThrows(IllegalArgumentException.class, () -> codec.decode("[{\"driver\":"));
    }
}
