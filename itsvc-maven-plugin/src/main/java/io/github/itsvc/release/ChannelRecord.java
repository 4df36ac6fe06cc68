package io.github.itsvc.release;

import java.time.Instant;

/**
 * One state of a channel ({@code channel.json}): which release it carries, since which sequence number, until when.
 * Each publication on a channel (a release, a promotion, a refresh) adds a record with the next sequence number, so a
 * subscriber that has seen sequence 7 refuses a record 6 replayed to it, and one past {@code expires} is a frozen
 * channel.
 *
 * @param tag the object id of the release's annotated tag, so a tag moved after publication is noticed
 * @param commit the commit the tag points to
 * @param published when, ISO-8601 UTC
 * @param expires until when subscribers accept this record, ISO-8601 UTC
 */
public record ChannelRecord(String service, String channel, String release, String tag, String commit, long sequence,
        String published, String expires) {

    public boolean expiredAt(Instant now) {
        return Instant.parse(expires).isBefore(now);
    }
}
