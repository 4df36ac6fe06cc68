package io.github.itsvc.model;

import java.util.List;

/**
 * A site's {@code subscribe:} block: the appliance follows a channel of an upstream repository and takes its releases
 * by itself ({@code mvn itsvc:sync}).
 *
 * @param upstream the upstream repository's URL ({@code git://}, {@code https://}, {@code file:})
 * @param channel the channel followed, e.g. {@code live}
 * @param accept how much change is taken without a person: {@code patch}, {@code minor} or {@code major}
 * @param keys key files trusted to sign releases and channel records, relative to the definition directory: OpenPGP
 *     public keys (e.g. {@code keys/release.asc}) or SSH public keys ({@code keys/release.pub}, or allowed-signers
 *     lines)
 * @param location where the block starts
 */
public record Subscription(String upstream, String channel, String accept, List<String> keys, Location location) {

    public static final List<String> LEVELS = List.of("patch", "minor", "major");

    public Subscription {
        keys = List.copyOf(keys);
    }
}
