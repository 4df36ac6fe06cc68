package io.github.itsvc.maven;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * The active {@code <proxy>} of settings.xml as a {@link ProxySelector} for {@code url:} binaries, so they go through
 * the same proxy as Maven's own downloads, {@code <nonProxyHosts>} included ({@code |}-separated, {@code *}
 * wildcards). Without an active proxy, the JVM's default selector decides.
 */
final class SettingsProxySelector extends ProxySelector {

    private final Proxy proxy;
    private final Pattern nonProxyHosts;

    private SettingsProxySelector(Proxy proxy, Pattern nonProxyHosts) {
        this.proxy = proxy;
        this.nonProxyHosts = nonProxyHosts;
    }

    /** The selector for the settings' active proxy, or {@code null} (the JVM default) when there is none. */
    static ProxySelector from(Settings settings) {
        var active = settings == null ? null : settings.getActiveProxy();
        if (active == null || active.getHost() == null || active.getHost().isBlank()) {
            return null;
        }
        String protocol = active.getProtocol() == null ? "http" : active.getProtocol().toLowerCase(Locale.ROOT);
        Proxy.Type type = protocol.startsWith("socks") ? Proxy.Type.SOCKS : Proxy.Type.HTTP;
        var proxy = new Proxy(type, InetSocketAddress.createUnresolved(active.getHost(), active.getPort()));
        return new SettingsProxySelector(proxy, nonProxyPattern(active.getNonProxyHosts()));
    }

    /**
     * The active proxy's {@code <username>} and {@code <password>} (decrypted), or {@code null} when it has none.
     * Given, the JVM is also allowed to send them as Basic authentication through an https tunnel (which it refuses
     * by default, unlike Maven's own transport), if the JVM was not told otherwise and has not made an HTTP
     * connection yet.
     */
    static PasswordAuthentication credentials(Settings settings, SettingsDecrypter decrypter) {
        var active = settings == null ? null : settings.getActiveProxy();
        if (active == null || active.getUsername() == null || active.getUsername().isBlank()) {
            return null;
        }
        var proxy = active;
        if (decrypter != null) {
            var result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(active));
            if (result.getProxy() != null) {
                proxy = result.getProxy();
            }
        }
        if (System.getProperty(TUNNELING_DISABLED_SCHEMES) == null) {
            System.setProperty(TUNNELING_DISABLED_SCHEMES, "");
        }
        String password = proxy.getPassword() == null ? "" : proxy.getPassword();
        return new PasswordAuthentication(proxy.getUsername(), password.toCharArray());
    }

    private static final String TUNNELING_DISABLED_SCHEMES = "jdk.http.auth.tunneling.disabledSchemes";

    static Pattern nonProxyPattern(String nonProxyHosts) {
        if (nonProxyHosts == null || nonProxyHosts.isBlank()) {
            return null;
        }
        StringBuilder regex = new StringBuilder();
        for (String host : nonProxyHosts.split("[|,]")) {
            if (host.isBlank()) {
                continue;
            }
            if (regex.length() > 0) {
                regex.append('|');
            }
            for (String part : host.trim().toLowerCase(Locale.ROOT).split("\\*", -1)) {
                regex.append(Pattern.quote(part)).append(".*");
            }
            regex.setLength(regex.length() - 2); // the last part has no '*' after it
        }
        return Pattern.compile(regex.toString());
    }

    @Override
    public List<Proxy> select(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (nonProxyHosts != null && nonProxyHosts.matcher(host).matches()) {
            return List.of(Proxy.NO_PROXY);
        }
        return List.of(proxy);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException e) {
        // Nothing to remember: one proxy, and the fetch reports the failure itself.
    }
}
