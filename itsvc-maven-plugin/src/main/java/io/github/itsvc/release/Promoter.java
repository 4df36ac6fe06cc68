package io.github.itsvc.release;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;

/**
 * Moves a release on to the next channel ({@code dev -> beta -> live}): only a release the channel before carries or
 * carried, whose tag upstream is still the one that channel recorded, and only forward. Writes the channel's next
 * record and pushes it, never forced: if someone published meanwhile the push is refused and nothing changes.
 */
public final class Promoter {

    /**
     * @param channels the channels in order; the first is where releases start
     * @param to the channel to promote to (not the first)
     */
    public record Request(Path basedir, String version, String to, List<String> channels, String remote,
            Upstream.Access access, ReleaseSigner signer, Duration validity) {}

    private final Clock clock;
    private final Consumer<String> log;

    public Promoter(Clock clock, Consumer<String> log) {
        this.clock = clock;
        this.log = log;
    }

    public ChannelRecord promote(Request request) throws ReleaseException, IOException {
        int index = request.channels().indexOf(request.to());
        if (index < 0) {
            throw new ReleaseException("there is no channel '" + request.to() + "'; the channels are "
                    + String.join(" -> ", request.channels()), "pass one of them with -Ditsvc.channel");
        }
        if (index == 0) {
            throw new ReleaseException("channel " + request.to() + " is the first: releases start there",
                    "release with mvn itsvc:release, or promote to " + request.channels().get(1));
        }
        String from = request.channels().get(index - 1);
        String tag = Versions.tag(request.version());
        try (Repository repository = Releaser.open(request.basedir())) {
            String url = Upstream.resolve(repository, request.remote());
            Upstream upstream = new Upstream(url, request.access());
            upstream.fetch(repository, List.of("+" + Channels.REF_PREFIX + "*:" + Channels.REF_PREFIX + "*",
                    "+" + Constants.R_TAGS + tag + ":" + Constants.R_TAGS + tag));
            Channels.Entry source = null;
            for (Channels.Entry entry : Channels.history(repository, from, 1000)) {
                if (entry.record().release().equals(request.version())) {
                    source = entry;
                    break;
                }
            }
            if (source == null) {
                throw new ReleaseException(request.version() + " has never been on channel " + from + ", so it cannot"
                        + " move on to " + request.to(), "promote it to " + from + " first"
                                + (index - 1 == 0 ? " (release it)" : ""));
            }
            Ref tagRef = repository.exactRef(Constants.R_TAGS + tag);
            if (tagRef == null || !tagRef.getObjectId().name().equals(source.record().tag())) {
                throw new ReleaseException("tag " + tag + " upstream is not the one channel " + from + " recorded ("
                        + source.record().tag().substring(0, 12) + "): it was moved or deleted after the release",
                        "release a new version; a published release never changes");
            }
            Channels.Entry current = Channels.head(repository, request.to());
            if (current != null) {
                var carried = Versions.parse(current.record().release());
                if (carried != null && !Versions.parse(request.version()).isGreaterThan(carried)) {
                    throw new ReleaseException("channel " + request.to() + " already carries " + carried.getVersion()
                            + ", which is not older than " + request.version(), "promote a release newer than "
                                    + carried.getVersion());
                }
            }
            if (request.signer() == null) {
                log.accept("WARNING: no signing key: the record of channel " + request.to() + " is unsigned, and"
                        + " subscribers refuse it");
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            ChannelRecord record = new ChannelRecord(source.record().service(), request.to(), request.version(),
                    source.record().tag(), source.record().commit(),
                    current == null ? 1 : current.record().sequence() + 1, now.toString(),
                    now.plus(request.validity()).toString());
            ObjectId previousId = current == null ? null : current.commit();
            ObjectId recordId = Channels.write(repository, record, request.signer(), previousId,
                    Releaser.ident(repository));
            Channels.move(repository, request.to(), previousId, recordId);
            String failure = upstream.push(repository, List.of(Channels.ref(request.to())));
            if (failure != null) {
                Channels.move(repository, request.to(), recordId, previousId);
                throw new ReleaseException("push of channel " + request.to() + " to " + url + " failed: " + failure
                        + "; nothing was promoted", "if someone published on " + request.to() + " meanwhile, run the"
                                + " promotion again; otherwise check that you may push refs/itsvc/* to " + url);
            }
            log.accept("Promoted " + record.service() + " " + request.version() + " from " + from + " to "
                    + request.to() + " (sequence " + record.sequence() + ", expires " + record.expires() + ")");
            return record;
        }
    }
}
