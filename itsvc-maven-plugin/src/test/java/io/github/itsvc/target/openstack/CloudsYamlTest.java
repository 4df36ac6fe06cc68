package io.github.itsvc.target.openstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.itsvc.target.TargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudsYamlTest {

    @TempDir
    Path project;
    @TempDir
    Path home;

    private CloudsYaml clouds(Map<String, String> env) {
        return new CloudsYaml(project, home, env, home.resolve("etc/openstack/clouds.yaml"));
    }

    @Test
    void readsAPasswordCloudWithItsDomainsRegionInterfaceAndCacert() throws Exception {
        Path dir = home.resolve(".config/openstack");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("clouds.yaml"), """
                clouds:
                  mycloud:
                    auth:
                      auth_url: https://keystone.example:5000
                      username: alice
                      project_name: wiki
                      user_domain_name: Users
                      project_domain_id: abc
                    region_name: North
                    interface: internal
                    cacert: /etc/ssl/our-ca.pem
                """);
        // The password lives apart, in secure.yaml beside it.
        Files.writeString(dir.resolve("secure.yaml"), """
                clouds:
                  mycloud:
                    auth:
                      password: s3cret
                """);
        CloudConfig c = clouds(Map.of()).find("mycloud");
        assertThat(c.authUrl()).isEqualTo("https://keystone.example:5000");
        assertThat(c.username()).isEqualTo("alice");
        assertThat(c.password()).isEqualTo("s3cret");
        assertThat(c.userDomain()).isEqualTo(new CloudConfig.Ref(null, "Users"));
        assertThat(c.project()).isEqualTo(new CloudConfig.Ref(null, "wiki"));
        assertThat(c.projectDomain()).isEqualTo(new CloudConfig.Ref("abc", null));
        assertThat(c.region()).isEqualTo("North");
        assertThat(c.endpointInterface()).isEqualTo("internal");
        assertThat(c.cacert()).isEqualTo("/etc/ssl/our-ca.pem");
        assertThat(c.toString()).contains("alice").doesNotContain("s3cret");
    }

    @Test
    void theProjectsOwnCloudsYamlComesFirst() throws Exception {
        Files.createDirectories(home.resolve(".config/openstack"));
        Files.writeString(home.resolve(".config/openstack/clouds.yaml"), cloud("c", "from-home"));
        Files.writeString(project.resolve("clouds.yaml"), cloud("c", "from-project"));
        assertThat(clouds(Map.of()).find("c").username()).isEqualTo("from-project");
    }

    @Test
    void readsAnApplicationCredential() throws Exception {
        Files.writeString(project.resolve("clouds.yaml"), """
                clouds:
                  ci:
                    auth_type: v3applicationcredential
                    auth:
                      auth_url: http://127.0.0.1:5000/v3
                      application_credential_id: 0123abc
                      application_credential_secret: very-secret
                """);
        CloudConfig c = clouds(Map.of()).find("ci");
        assertThat(c.usesApplicationCredential()).isTrue();
        assertThat(Cloud.Keystone.body(c).toString())
                .contains("\"methods\":[\"application_credential\"]").contains("\"id\":\"0123abc\"")
                .doesNotContain("scope");
        assertThat(c.toString()).doesNotContain("very-secret");
    }

    @Test
    void fallsBackToTheOsVariables() throws Exception {
        CloudConfig c = clouds(Map.of("OS_AUTH_URL", "http://127.0.0.1:5000/v3", "OS_USERNAME", "bob",
                "OS_PASSWORD", "pw", "OS_PROJECT_NAME", "demo", "OS_USER_DOMAIN_NAME", "Default",
                "OS_REGION_NAME", "RegionOne")).find("anything");
        assertThat(c.source()).contains("OS_*");
        assertThat(c.username()).isEqualTo("bob");
        assertThat(c.projectDomain()).isEqualTo(CloudConfig.Ref.DEFAULT_DOMAIN);
        assertThat(Cloud.Keystone.body(c).toString()).contains("\"password\":{\"user\":{\"name\":\"bob\","
                + "\"domain\":{\"name\":\"Default\"},\"password\":\"pw\"}}")
                .contains("\"scope\":{\"project\":{\"name\":\"demo\",\"domain\":{\"id\":\"default\"}}}");
    }

    @Test
    void anUnknownCloudNamesTheFilesAndTheCloudsThere() throws Exception {
        Files.writeString(project.resolve("clouds.yaml"), cloud("other", "x"));
        assertThatThrownBy(() -> clouds(Map.of()).find("mycloud")).isInstanceOf(TargetException.class)
                .hasMessageContaining("cloud 'mycloud' is not in any clouds.yaml")
                .hasMessageContaining(project.resolve("clouds.yaml").toString())
                .hasMessageContaining("the clouds there are: other").hasMessageContaining("fix:");
    }

    @Test
    void aMissingPasswordSaysWhereItCanGo() throws Exception {
        Files.writeString(project.resolve("clouds.yaml"), """
                clouds:
                  c:
                    auth: { auth_url: "http://127.0.0.1:5000/v3", username: alice, project_name: p }
                """);
        assertThatThrownBy(() -> clouds(Map.of()).find("c")).isInstanceOf(TargetException.class)
                .hasMessageContaining("no password for user 'alice'").hasMessageContaining("settings.xml")
                .hasMessageContaining("OS_PASSWORD");
    }

    private static String cloud(String name, String user) {
        return """
                clouds:
                  %s:
                    auth: { auth_url: "http://127.0.0.1:5000/v3", username: %s, password: pw, project_name: p }
                """.formatted(name, user);
    }
}
