package io.github.itsvc.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * The published JSON Schemas against the binder's own fixtures, with a real validator: good fixtures pass, and each
 * bad fixture gets the verdict its header declares. A change to the binder or the schema alone shows up here.
 */
class SchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    // IDEs assert formats too (the 'regex' of expect.matches), so the test does.
    private static final SchemaValidatorsConfig CONFIG =
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    static Stream<Fixture> goodServices() {
        return Fixture.all("service/good").stream();
    }

    static Stream<Fixture> goodSites() {
        return Fixture.all("site/good").stream();
    }

    static Stream<Fixture> badServicesTheSchemaCanJudge() {
        return Fixture.all("service/bad").stream().filter(f -> !f.schema().equals("n/a"));
    }

    static Stream<Fixture> badSitesTheSchemaCanJudge() {
        return Fixture.all("site/bad").stream().filter(f -> !f.schema().equals("n/a"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodServices")
    void goodServiceIsValid(Fixture fixture) throws IOException {
        assertThat(validate(Schemas.SERVICE, fixture)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodSites")
    void goodSiteIsValid(Fixture fixture) throws IOException {
        assertThat(validate(Schemas.SITE, fixture)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badServicesTheSchemaCanJudge")
    void badServiceGetsItsDeclaredVerdict(Fixture fixture) throws IOException {
        assertVerdict(fixture, validate(Schemas.SERVICE, fixture));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSitesTheSchemaCanJudge")
    void badSiteGetsItsDeclaredVerdict(Fixture fixture) throws IOException {
        assertVerdict(fixture, validate(Schemas.SITE, fixture));
    }

    @Test
    void structuralMistakesAreAmongTheFixturesTheSchemaRefuses() {
        List<String> refused = Stream.concat(badServicesTheSchemaCanJudge(), badSitesTheSchemaCanJudge())
                .filter(f -> f.schema().equals("invalid"))
                .map(Fixture::name)
                .toList();
        assertThat(refused).contains("unknown-key-service", "unknown-key-role", "wrong-type-count", "wrong-types",
                "bad-names", "binary-sources", "path-escapes", "durations", "checks", "unknown-key", "bad-target");
    }

    @ParameterizedTest
    @MethodSource("schemaNames")
    void schemaIsValidDraft202012(String name) throws IOException {
        JsonSchema meta = FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        try (InputStream in = Schemas.open(name)) {
            assertThat(meta.validate(JSON.readTree(in))).isEmpty();
        }
    }

    /** IDEs show descriptions on hover: every property, in every nested object, has one. */
    @ParameterizedTest
    @MethodSource("schemaNames")
    void everyPropertyHasADescription(String name) throws IOException {
        JsonNode schema;
        try (InputStream in = Schemas.open(name)) {
            schema = JSON.readTree(in);
        }
        List<String> undescribed = new ArrayList<>();
        List<String> properties = new ArrayList<>();
        collectProperties(schema, "", properties, undescribed);
        assertThat(properties).hasSizeGreaterThan(2);
        assertThat(undescribed).isEmpty();
        assertThat(schema.get("additionalProperties").asBoolean(true)).isFalse();
    }

    static List<String> schemaNames() {
        return Schemas.NAMES;
    }

    @Test
    void copyToWritesBothSchemasAsShipped(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("target/itsvc/schema");
        List<Path> written = Schemas.copyTo(target);
        assertThat(written).containsExactly(target.resolve("service.schema.json"), target.resolve("site.schema.json"));
        for (Path file : written) {
            try (InputStream in = Schemas.open(file.getFileName().toString())) {
                assertThat(Files.readAllBytes(file)).isEqualTo(in.readAllBytes());
            }
        }
        Files.writeString(written.get(0), "stale");
        Schemas.copyTo(target);
        assertThat(Files.readString(written.get(0))).contains("\"$schema\"");
    }

    private static void collectProperties(JsonNode node, String path, List<String> properties,
            List<String> undescribed) {
        if (node.isObject()) {
            JsonNode props = node.get("properties");
            if (props != null && props.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
                    var entry = it.next();
                    String where = path + "/properties/" + entry.getKey();
                    properties.add(where);
                    // Properties of if/then/not sub-schemas only constrain; the describing ones are elsewhere.
                    if (!entry.getValue().has("description") && !isConstraintOnly(path)) {
                        undescribed.add(where);
                    }
                }
            }
            node.fields().forEachRemaining(e -> collectProperties(e.getValue(), path + "/" + e.getKey(), properties,
                    undescribed));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectProperties(node.get(i), path + "/" + i, properties, undescribed);
            }
        }
    }

    private static boolean isConstraintOnly(String path) {
        return path.matches(".*/(if|then|not|allOf/\\d+)(/.*)?");
    }

    private static void assertVerdict(Fixture fixture, Set<ValidationMessage> errors) {
        if (fixture.schema().equals("invalid")) {
            assertThat(errors).as(fixture + " must fail the schema").isNotEmpty();
        } else {
            assertThat(errors).as(fixture + " passes the schema (only the binder sees its problems)").isEmpty();
        }
    }

    /** The fixture as the IDE sees it: YAML 1.2 core, converted to JSON. */
    private static Set<ValidationMessage> validate(String schemaName, Fixture fixture) throws IOException {
        var node = new Compose(LoadSettings.builder().setSchema(new CoreSchema()).build())
                .composeString(fixture.text())
                .orElseThrow();
        Problems ignored = new Problems(fixture.toString());
        JsonNode json = JSON.valueToTree(Yaml.toJava(node, "the fixture", ignored));
        try (InputStream in = Schemas.open(schemaName)) {
            return FACTORY.getSchema(in, CONFIG).validate(json);
        }
    }
}
