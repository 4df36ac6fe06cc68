package io.github.itsvc.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import org.apache.maven.settings.Settings;
import org.junit.jupiter.api.Test;

class SettingsProxySelectorTest {

    @Test
    void noActiveProxyLeavesTheJvmDefault() {
        assertThat(SettingsProxySelector.from(new Settings())).isNull();
        assertThat(SettingsProxySelector.from(null)).isNull();
    }

    @Test
    void theActiveProxyIsUsedExceptForNonProxyHosts() {
        var proxy = new org.apache.maven.settings.Proxy();
        proxy.setHost("proxy.corp.test");
        proxy.setPort(3128);
        proxy.setNonProxyHosts("localhost|*.corp.test|127.0.0.1");
        var inactive = new org.apache.maven.settings.Proxy();
        inactive.setActive(false);
        inactive.setHost("other.test");
        Settings settings = new Settings();
        settings.addProxy(inactive);
        settings.addProxy(proxy);

        var selector = SettingsProxySelector.from(settings);

        Proxy used = selector.select(URI.create("https://downloads.example.org/x.tar.gz")).get(0);
        assertThat(used.type()).isEqualTo(Proxy.Type.HTTP);
        assertThat(((InetSocketAddress) used.address()).getHostString()).isEqualTo("proxy.corp.test");
        assertThat(((InetSocketAddress) used.address()).getPort()).isEqualTo(3128);
        assertThat(selector.select(URI.create("https://files.corp.test/a"))).containsExactly(Proxy.NO_PROXY);
        assertThat(selector.select(URI.create("http://127.0.0.1:8080/a"))).containsExactly(Proxy.NO_PROXY);
        assertThat(selector.select(URI.create("https://corp.test.evil.example/a")).get(0)).isEqualTo(used);
    }

    @Test
    void theActiveProxysCredentialsAreDecryptedAndNoneWithoutAUser() {
        var proxy = new org.apache.maven.settings.Proxy();
        proxy.setHost("proxy.corp.test");
        proxy.setPort(3128);
        Settings settings = new Settings();
        settings.addProxy(proxy);
        assertThat(SettingsProxySelector.credentials(settings, null)).isNull();

        proxy.setUsername("alice");
        proxy.setPassword("{encrypted}");
        org.apache.maven.settings.crypto.SettingsDecrypter decrypter = request -> {
            var decrypted = request.getProxies().get(0).clone();
            decrypted.setPassword("s3cret");
            return new org.apache.maven.settings.crypto.SettingsDecryptionResult() {
                @Override
                public org.apache.maven.settings.Server getServer() {
                    return null;
                }

                @Override
                public java.util.List<org.apache.maven.settings.Server> getServers() {
                    return java.util.List.of();
                }

                @Override
                public org.apache.maven.settings.Proxy getProxy() {
                    return decrypted;
                }

                @Override
                public java.util.List<org.apache.maven.settings.Proxy> getProxies() {
                    return java.util.List.of(decrypted);
                }

                @Override
                public java.util.List<org.apache.maven.settings.building.SettingsProblem> getProblems() {
                    return java.util.List.of();
                }
            };
        };

        var credentials = SettingsProxySelector.credentials(settings, decrypter);

        assertThat(credentials.getUserName()).isEqualTo("alice");
        assertThat(new String(credentials.getPassword())).isEqualTo("s3cret");
        assertThat(proxy.getPassword()).as("the settings themselves keep the encrypted form").isEqualTo("{encrypted}");
    }
}
