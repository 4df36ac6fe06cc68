package io.github.itsvc.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A site ({@code src/main/itsvc/sites/<name>.yaml}): where and how one copy of the service runs.
 *
 * @param name the file name without {@code .yaml}
 * @param target {@code local} or {@code openstack}
 * @param cloud the clouds.yaml entry for cloud targets, or {@code null}
 * @param allowHttp whether binaries may be downloaded over plain {@code http:} ({@code allowHttp: true}; default
 *     false): their pinned hashes still protect them, but nothing else does
 * @param values site values for templates: plain maps, lists, strings, numbers and booleans, in file order
 * @param location where the site file starts
 * @param openstack the {@code openstack:} block (network, floating IPs, key pair, extra rules); never {@code null}
 * @param subscription the site's {@code subscribe:} block, or {@code null} when it follows no channel
 * @param statusPage where else to write the status page ({@code statusPage: /var/www/html/itsvc/index.html}), so an
 *     appliance's web server can publish it: relative to the project, or absolute; {@code null} for nowhere else
 */
public record Site(String name, String target, String cloud, boolean allowHttp, Map<String, Object> values,
        Location location, OpenStack openstack, Subscription subscription, String statusPage) {

    public Site {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        openstack = openstack == null ? OpenStack.DEFAULTS : openstack;
    }

    /** A site without an {@code openstack:} block, that subscribes to nothing and has no status page of its own. */
    public Site(String name, String target, String cloud, boolean allowHttp, Map<String, Object> values,
            Location location) {
        this(name, target, cloud, allowHttp, values, location, OpenStack.DEFAULTS, null, null);
    }

    /**
     * What an openstack site adds to its roles' servers.
     *
     * @param network the network (name or id) the servers' ports are on; {@code null}: the project's only network
     * @param floatingIp the external network (name or id) to take a floating IP from for every server, or
     *     {@code null} for none
     * @param publicKey a public key file ({@code ~} allowed) for the site's key pair; {@code null}: Nova makes one,
     *     whose private half is written beside the site's instances
     * @param antiAffinity how a role's servers are spread: {@code soft} (default), {@code hard} or {@code none}
     * @param rules extra ingress rules for every role's security group
     */
    public record OpenStack(String network, String floatingIp, String publicKey, String antiAffinity,
            List<Rule> rules) {

        public static final OpenStack DEFAULTS = new OpenStack(null, null, null, "soft", List.of());

        public OpenStack {
            rules = List.copyOf(rules);
        }
    }

    /**
     * An ingress rule.
     *
     * @param protocol {@code tcp}, {@code udp} or {@code icmp}
     * @param port the port, or {@code null} for every port (and for icmp)
     * @param from the source CIDR
     */
    public record Rule(String protocol, Integer port, String from) {}
}
