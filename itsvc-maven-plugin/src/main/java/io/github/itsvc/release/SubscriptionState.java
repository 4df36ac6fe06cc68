package io.github.itsvc.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a subscribed appliance trusts, kept outside the work tree ({@code ~/.itsvc/subscriptions/<service>/<site>/}) so
 * nothing upstream can reset it: the release that runs, the last channel record accepted (its sequence number and
 * commit), the tag object of every release seen (a tag that moves is refused), and the releases that failed their
 * tests here (not tried again).
 */
public record SubscriptionState(String release, long sequence, String channelCommit, Map<String, String> tags,
        List<String> failed, String updated) {

    public static final String FILE = "state.json";

    public SubscriptionState {
        tags = new TreeMap<>(tags == null ? Map.of() : tags);
        failed = failed == null ? List.of() : List.copyOf(failed);
    }

    static SubscriptionState empty() {
        return new SubscriptionState(null, 0, null, Map.of(), List.of(), null);
    }

    public static SubscriptionState read(Path stateDir) throws IOException, ReleaseException {
        Path file = stateDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return empty();
        }
        return Json.read(Files.readAllBytes(file), SubscriptionState.class, "the subscription state " + file);
    }

    void write(Path stateDir) throws IOException {
        Json.write(stateDir.resolve(FILE), this);
    }
}
