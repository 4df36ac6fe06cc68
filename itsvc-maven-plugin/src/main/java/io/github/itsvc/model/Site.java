package io.github.itsvc.model;

import java.util.Collections;
import java.util.LinkedHashMap;
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
 * @param subscription the site's {@code subscribe:} block, or {@code null} when it follows no channel
 * @param statusPage where else to write the status page ({@code statusPage: /var/www/html/itsvc/index.html}), so an
 *     appliance's web server can publish it: relative to the project, or absolute; {@code null} for nowhere else
 */
public record Site(String name, String target, String cloud, boolean allowHttp, Map<String, Object> values,
        Location location, Subscription subscription, String statusPage) {

    public Site {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** A site that subscribes to nothing and has no status page of its own. */
    public Site(String name, String target, String cloud, boolean allowHttp, Map<String, Object> values,
            Location location) {
        this(name, target, cloud, allowHttp, values, location, null, null);
    }
}
