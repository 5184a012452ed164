package io.aquarium.fish.meta;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.aquarium.fish.core.metadata.MetadataMerge;
import io.aquarium.fish.core.metadata.MetadataValue;
import io.aquarium.fish.core.model.RawJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.aquarium.fish.meta.MetaFormat.ENV;
import static io.aquarium.fish.meta.MetaFormat.EXPORT;
import static io.aquarium.fish.meta.MetaFormat.JSON;
import static io.aquarium.fish.meta.MetaFormat.PS1;
import static io.aquarium.fish.meta.MetaFormat.YAML;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetadataFormatterTest {
    private static final ObjectMapper JSON_MAPPER = new ObjectMapper();
    private static final YAMLMapper YAML_MAPPER = new YAMLMapper();

    private static String format(String json, MetaFormat format) {
        return format(json, format, null);
    }

    private static String format(String json, MetaFormat format, String prefix) {
        return MetadataFormatter.format(MetadataValue.parse(json), List.of(), format, prefix);
    }

    @Test
    void theContractExample() {
        String meta = "{\"test1\":\"test2\",\"testk\":\"testv\"}";
        assertEquals(meta, format(meta, JSON));
        assertEquals("test1=test2\ntestk=testv\n", format(meta, ENV));
        assertEquals("export test1=test2\nexport testk=testv\n", format(meta, EXPORT));
        assertEquals("$test1='test2'\n$testk='testv'\n", format(meta, PS1));
        assertEquals("FISH_test1=test2\nFISH_testk=testv\n", format(meta, ENV, "FISH"));
        assertEquals("export FISH_test1=test2\nexport FISH_testk=testv\n", format(meta, EXPORT, "FISH"));
        assertEquals("$FISH_test1='test2'\n$FISH_testk='testv'\n", format(meta, PS1, "FISH"));
    }

    @Test
    void linesAreSortedByKeyWhateverTheInputOrder() {
        assertEquals("A=1\nB=2\n_x=3\na=4\nb=5\n", format("{\"b\":5,\"a\":4,\"_x\":3,\"B\":2,\"A\":1}", ENV));
    }

    @Test
    void jsonKeepsKeyOrderAndNumberText() {
        String meta = "{\"z\":1000000,\"a\":1.10,\"big\":123456789012345678901234567890,\"exp\":1e6,\"n\":null,"
                + "\"t\":true,\"l\":[1,\"x\"],\"o\":{\"k\":\"v\"}}";
        assertEquals(meta, format(meta, JSON));
    }

    @Test
    void yamlParsesBackToTheSameMap() throws IOException {
        String meta = "{\"test1\":\"test2\",\"testk\":\"testv\",\"quote\":\"it's \\\"q\\\"\",\"nl\":\"a\\nb\\n\","
                + "\"uni\":\"ключ ✓ 🐟\",\"num\":1000000,\"dec\":0.25,\"big\":123456789012345678901234567890,"
                + "\"yes\":\"yes\",\"bool\":false,\"none\":null,\"digits\":\"0123\",\"nested\":{\"l\":[1,{\"x\":\"y\"}]},"
                + "\"empty\":{},\"colon\":\"a: b\",\"hash\":\"# not a comment\"}";
        String yaml = format(meta, YAML);
        assertEquals(JSON_MAPPER.readValue(meta, Map.class), YAML_MAPPER.readValue(yaml, Map.class), yaml);
        assertEquals(Map.of(), YAML_MAPPER.readValue(format("{}", YAML), Map.class));
    }

    @Test
    void yamlGivesExponentNumbersAsDigits() throws IOException {
        assertEquals(Map.of("e", 1000000), YAML_MAPPER.readValue(format("{\"e\":1e6}", YAML), Map.class));
    }

    @Test
    void valuesThatNeedNoQuotesStayBare() {
        assertEquals("k=/usr/local/bin:/bin\n", format("{\"k\":\"/usr/local/bin:/bin\"}", ENV));
        assertEquals("k=http://ci.example.com/job/x-1/a=b%20c,d@e+f\n",
                format("{\"k\":\"http://ci.example.com/job/x-1/a=b%20c,d@e+f\"}", ENV));
        assertEquals("k='http://ci/?a=*'\n", format("{\"k\":\"http://ci/?a=*\"}", ENV));
    }

    @Test
    void specialCharactersAreSingleQuoted() {
        assertEquals("k='it'\\''s'\n", format("{\"k\":\"it's\"}", ENV));
        assertEquals("k='$HOME'\n", format("{\"k\":\"$HOME\"}", ENV));
        assertEquals("k='`id`'\n", format("{\"k\":\"`id`\"}", ENV));
        assertEquals("k='$(id)'\n", format("{\"k\":\"$(id)\"}", ENV));
        assertEquals("k='a b'\n", format("{\"k\":\"a b\"}", ENV));
        assertEquals("k='a\nb'\n", format("{\"k\":\"a\\nb\"}", ENV));
        assertEquals("k='~/x'\n", format("{\"k\":\"~/x\"}", ENV));
        assertEquals("k=''\n", format("{\"k\":\"\"}", ENV));
        assertEquals("k=''\n", format("{\"k\":null}", ENV));
        assertEquals("export k='\"; rm -rf / #'\n", format("{\"k\":\"\\\"; rm -rf / #\"}", EXPORT));
    }

    @Test
    void ps1DoublesEverySingleQuoteKind() {
        assertEquals("$k='it''s'\n", format("{\"k\":\"it's\"}", PS1));
        assertEquals("$k='a\u2019\u2019b\u2018\u2018c\u201A\u201Ad\u201B\u201Be'\n",
                format("{\"k\":\"a\u2019b\u2018c\u201Ad\u201Be\"}", PS1));
        assertEquals("$k='$env:PATH `n \"x\"'\n", format("{\"k\":\"$env:PATH `n \\\"x\\\"\"}", PS1));
        assertEquals("$k='line1\nline2'\n", format("{\"k\":\"line1\\nline2\"}", PS1));
        assertEquals("$k=''\n", format("{\"k\":\"\"}", PS1));
    }

    @Test
    void unicodeValuesAreKeptAndUnicodeKeysReduced() {
        assertEquals("____='значение ✓ 🐟'\n", format("{\"ключ\":\"значение ✓ 🐟\"}", ENV));
        // One underscore per code point, not per UTF-16 unit.
        assertEquals("a__b=1\n", format("{\"a🐟_b\":1}", ENV));
    }

    @Test
    void nestedMapsAndArraysAreFlattened() {
        String meta = "{\"a\":{\"b\":{\"c\":1}},\"l\":[1,\"x\",{\"y\":true},[false]],\"e\":{},\"ea\":[]}";
        assertEquals("a_b_c=1\nl_0=1\nl_1=x\nl_2_y=true\nl_3_0=false\n", format(meta, ENV));
        assertEquals("P_a_b_c=1\nP_l_0=1\nP_l_1=x\nP_l_2_y=true\nP_l_3_0=false\n", format(meta, ENV, "P"));
    }

    @Test
    void numbersArePrintedAsWritten() {
        String meta = "{\"int\":1000000,\"neg\":-42,\"big\":123456789012345678901234567890,\"dec\":1.10,"
                + "\"small\":0.000001,\"long\":3.14159265358979323846264338327950288}";
        assertEquals("big=123456789012345678901234567890\ndec=1.10\nint=1000000\n"
                + "long=3.14159265358979323846264338327950288\nneg=-42\nsmall=0.000001\n", format(meta, ENV));
        assertEquals("$int='1000000'\n", format("{\"int\":1000000}", PS1));
    }

    @Test
    void exponentNumbersBecomeDigitsUnlessHuge() {
        assertEquals("a=1000000\nb=0.0000001\nc=-250\nd=1e400\ne=1e9999999999\n",
                format("{\"a\":1e6,\"b\":1E-7,\"c\":-2.5e+2,\"d\":1e400,\"e\":1e9999999999}", ENV));
    }

    @Test
    void booleansAreLowercaseWords() {
        assertEquals("f=false\nt=true\n", format("{\"t\":true,\"f\":false}", ENV));
    }

    @Test
    void keysAreReducedToSafeCharacters() {
        assertEquals("_=4\n_9lives=3\na_b=1\na_c=2\nmy_app_x=5\n",
                format("{\"a-b\":1,\"a.c\":2,\"9lives\":3,\"\":4,\"my app/x\":5}", ENV));
        assertEquals("my_app_k=v\n", format("{\"k\":\"v\"}", ENV, "my-app"));
        assertEquals("_1_k=v\n", format("{\"k\":\"v\"}", ENV, "1"));
    }

    @Test
    void keyCollisionsAreDecidedByTheOriginalPathNotTheInputOrder() {
        // "a.b" sorts after "a-b" ('.' > '-'): it wins in both orders.
        assertEquals("a_b=dot\n", format("{\"a-b\":\"dash\",\"a.b\":\"dot\"}", ENV));
        assertEquals("a_b=dot\n", format("{\"a.b\":\"dot\",\"a-b\":\"dash\"}", ENV));
        // ["a_b"] sorts after ["a","b"]: the flat key wins over the nested one.
        assertEquals("a_b=flat\n", format("{\"a_b\":\"flat\",\"a\":{\"b\":\"nested\"}}", ENV));
        assertEquals("a_b=flat\n", format("{\"a\":{\"b\":\"nested\"},\"a_b\":\"flat\"}", ENV));
    }

    @Test
    void textFormatsLeaveOutVariablesThatChangeHowProgramsRunAndSayWhich() {
        String meta = "{\"PERL5OPT\":\"-Mevil\",\"LD_PRELOAD\":\"/e.so\",\"JAVA_TOOL_OPTIONS\":\"-javaagent:/e.jar\","
                + "\"PATH\":\"/evil\",\"GIT\":{\"SSH_COMMAND\":\"evil\"},\"JENKINS_URL\":\"http://ci/\"}";
        for (MetaFormat f : List.of(ENV, EXPORT, PS1)) {
            MetadataFormatter.Rendered r = MetadataFormatter.render(MetadataValue.parse(meta), List.of(), f, null);
            assertEquals(List.of("GIT_SSH_COMMAND", "JAVA_TOOL_OPTIONS", "LD_PRELOAD", "PATH", "PERL5OPT"), r.blocked(),
                    f.toString());
            assertTrue(r.body().contains("JENKINS_URL") && r.body().split("\n").length == 1, r.body());
        }
        // The rule applies to the name a shell would get: a prefix can make a name harmless, or not.
        assertEquals("FISH_LD_PRELOAD=/e.so\n", format("{\"LD_PRELOAD\":\"/e.so\"}", ENV, "FISH"));
        assertEquals("", format("{\"PRELOAD\":\"/e.so\"}", ENV, "LD"));
        // JSON and YAML are data, not variables: nothing left out.
        MetadataFormatter.Rendered json = MetadataFormatter.render(MetadataValue.parse(meta), List.of(), JSON, null);
        assertEquals(meta, json.body());
        assertEquals(List.of(), json.blocked());
    }

    @Test
    void emptyMetadata() throws IOException {
        assertEquals("{}", format("{}", JSON));
        assertEquals("", format("{}", ENV));
        assertEquals("", format("{}", EXPORT));
        assertEquals("", format("{}", PS1));
        assertEquals(Map.of(), YAML_MAPPER.readValue(format("{}", YAML), Map.class));
    }

    @Test
    void labelKeysOverrideApplicationKeys() {
        RawJson merged = MetadataMerge.merge(new RawJson("{\"shared\":\"app\",\"a\":1}"),
                new RawJson("{\"shared\":\"label\",\"l\":2}"));
        assertEquals("a=1\nl=2\nshared=label\n", format(merged.json(), ENV));
        assertEquals("{\"shared\":\"label\",\"a\":1,\"l\":2}", format(merged.json(), JSON));
    }

    @Test
    void aValueAtAPathKeepsThePathInItsKeys() {
        MetadataValue meta = MetadataValue.parse("{\"a\":{\"b\":\"x\",\"c\":{\"d\":1}},\"l\":[\"p\",\"q\"]}");
        MetadataValue b = meta.at(List.of("a", "b")).orElseThrow();
        assertEquals("a_b=x\n", MetadataFormatter.format(b, List.of("a", "b"), ENV, null));
        assertEquals("\"x\"", MetadataFormatter.format(b, List.of("a", "b"), JSON, null));
        MetadataValue a = meta.at(List.of("a")).orElseThrow();
        assertEquals("F_a_b=x\nF_a_c_d=1\n", MetadataFormatter.format(a, List.of("a"), ENV, "F"));
        assertEquals("{\"b\":\"x\",\"c\":{\"d\":1}}", MetadataFormatter.format(a, List.of("a"), JSON, null));
        assertEquals("q", ((MetadataValue.Str) meta.at(List.of("l", "1")).orElseThrow()).value());
        assertTrue(meta.at(List.of("l", "2")).isEmpty());
        assertTrue(meta.at(List.of("l", "01")).isEmpty());
        assertTrue(meta.at(List.of("a", "b", "c")).isEmpty());
        assertTrue(meta.at(List.of("missing")).isEmpty());
    }

    @Test
    void unknownFormatIsABadRequest() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.aquarium.fish.core.error.FishException.class,
                () -> MetaFormat.parse("bogus"));
        assertEquals(io.aquarium.fish.core.error.FishException.Kind.BAD_REQUEST, e.kind());
        assertEquals(JSON, MetaFormat.parse(null));
        assertEquals(JSON, MetaFormat.parse(""));
        assertEquals(PS1, MetaFormat.parse("PS1"));
    }

    /** The real test of quoting: a POSIX shell reads every value back unchanged, and runs nothing. */
    @Test
    void aShellReadsEveryValueBackExactly(@TempDir Path dir) throws Exception {
        Path sh = Path.of("/bin/sh");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(sh), "needs /bin/sh");
        Path marker = dir.resolve("pwned");
        String nasty = "it's \"q\" $HOME `touch " + marker + "` $(touch " + marker + ") \\ \n second line\t*; ~ ! ü 🐟 \u2019";
        String meta = JSON_MAPPER.writeValueAsString(Map.of("v", nasty));
        for (MetaFormat f : List.of(ENV, EXPORT)) {
            Path file = dir.resolve("meta." + f);
            Files.writeString(file, format(meta, f, "FISH"), StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(sh.toString(), "-c", ". \"$1\" && printf %s \"$FISH_v\"", "sh", file.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            assertEquals(nasty, out, f.toString());
        }
        assertTrue(Files.notExists(marker), "nothing in a value was executed");
    }
}
