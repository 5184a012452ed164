package io.aquarium.fish.core.election;

import io.aquarium.fish.core.model.LabelDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Go's path.Match semantics, as the original node applies them to node_filter entries. */
class NodeFilterGlobTest {

    @ParameterizedTest(name = "''{0}'' vs ''{1}'' -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "OS:linux*     | OS:linux        | true",
            "OS:linux*     | OS:linux-gnu    | true",
            "OS:linux*     | OS:darwin       | false",
            "OS:linux*     | XOS:linux       | false",
            "Arch:amd6?    | Arch:amd64      | true",
            "Arch:amd6?    | Arch:amd6       | false",
            "Arch:amd6?    | Arch:amd644     | false",
            "[a-c]         | a               | true",
            "[a-c]         | c               | true",
            "[a-c]         | d               | false",
            "[a-c]         | ab              | false",
            "[^a-c]        | d               | true",
            "[^a-c]        | b               | false",
            "[abx-z]       | y               | true",
            "[abx-z]       | c               | false",
            "\\*           | *               | true",
            "\\*           | a               | false",
            "a\\?          | a?              | true",
            "a\\?          | ab              | false",
            "[\\]]         | ]               | true",
            "[\\-]         | -               | true",
            "*             | anything        | true",
            "*             | ''              | true",
            "*             | a/b             | false",
            "a*            | a/b             | false",
            "a*/b          | ax/b            | true",
            "a*/b          | ax/y/b          | false",
            "a?b           | a/b             | false",
            "*:*           | FishName:node-1 | true",
            "FishName:A    | FishName:A      | true",
            "FishName:A    | FishName:AB     | false",
            "**x           | abx             | true",
    })
    void matchesLikeGoPathMatch(String pattern, String name, boolean expected) {
        assertEquals(expected, NodeFilterGlob.matches(pattern, name.equals("''") ? "" : name));
    }

    @ParameterizedTest(name = "malformed ''{0}'' matches nothing")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "[a-c          | a",
            "[             | [",
            "[]            | ]",
            "abc\\         | abc\\",
            "abc\\         | abc",
            "[]a]          | ]",
            "[]a]          | a",
            "[-a]          | -",
            "[a-]          | -",
            "[a-]          | a",
            "[^]           | x",
    })
    void malformedPatternMatchesNothing(String pattern, String name) {
        assertFalse(NodeFilterGlob.matches(pattern, name));
    }

    @Test
    void everyFilterEntryMustMatchSomeIdentifier() {
        Eligibility eligibility = new Eligibility(n -> Optional.empty(),
                List.of("FishName:node-1", "OS:linux", "Arch:amd64"));
        assertTrue(eligibility.matchesNodeFilter(filtered()));
        assertTrue(eligibility.matchesNodeFilter(filtered("OS:linux*", "Arch:amd6?")));
        assertTrue(eligibility.matchesNodeFilter(filtered("FishName:node-[0-9]")));
        assertFalse(eligibility.matchesNodeFilter(filtered("OS:linux*", "Arch:arm64")),
                "one unmatched entry is enough to refuse");
        assertFalse(eligibility.matchesNodeFilter(filtered("OS:darwin")));
        assertFalse(eligibility.matchesNodeFilter(filtered("[a-")));
    }

    private static LabelDefinition filtered(String... globs) {
        return ElectionHarness.def("test", List.of(globs));
    }
}
