package io.github.itsvc.target.openstack;

import io.github.itsvc.target.TargetException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.exceptions.ResponseException;
import org.openstack4j.model.compute.Keypair;

/**
 * The site's lock on the cloud, seen by every machine that provisions the site (the file lock of
 * {@link io.github.itsvc.target.SiteLock} only covers runs from one checkout): a Nova key pair
 * {@code <prefix>-lock}, made when a run starts changing the site and deleted when it ends. Nova makes a key pair
 * atomically and answers 409 when one of the name exists, so of two runs exactly one gets it. Its public key is a
 * fresh Ed25519 key whose private half is thrown away (nobody can log in with it; no server is booted with it), and
 * its comment says who holds the lock: {@code itsvc-lock:<goal>:<user>@<host>:pid=<pid>:since=<instant>}.
 *
 * <p>Nova's key pairs belong to a user, not a project: two operators see each other's lock only when they use the
 * same cloud user or an application credential of it, as a team that shares a site does. (Neutron has a per-network
 * unique constraint that would do per project, a port's MAC address, but setting one is the network owner's or an
 * admin's right under Neutron's default policy, so it fails on shared provider networks; and it costs a network
 * lookup in every destroy.)
 *
 * <p>A lock whose holder cannot still be running is taken over with a warning: one older than the run's deadline
 * plus {@link #MARGIN}, or one held by a process of this machine that has ended (a run killed with kill -9). Two
 * requests per run: the create, and the delete at the end.
 */
public final class CloudLock {

    /** How long past its deadline a lock is still respected: a run finishing its last calls. */
    static final Duration MARGIN = Duration.ofMinutes(5);
    private static final Pattern HOLDER = Pattern.compile(
            "itsvc-lock:(?<goal>[^:\\s]+):(?<user>[^@\\s]*)@(?<host>[^:\\s]*):pid=(?<pid>\\d+):since=(?<since>\\S+)");

    private final Cloud cloud;
    private final String name;
    private boolean held = true;

    private CloudLock(Cloud cloud, String name) {
        this.cloud = cloud;
        this.name = name;
    }

    /** The lock's key pair name for the site's resources named {@code prefix}. */
    static String name(String prefix) {
        return prefix + "-lock";
    }

    /**
     * Takes the site's lock, or fails at once naming its holder.
     *
     * @param site the site, for messages
     * @param goal what this run does: "provision", "destroy"
     * @param timeout the run's deadline from its start ({@code -Ditsvc.cloudTimeout}): an older lock is stale
     */
    public static CloudLock take(Cloud cloud, String prefix, String site, String goal, Duration timeout,
            Consumer<String> log, Clock clock) throws TargetException {
        String name = name(prefix);
        String host = hostName();
        String holder = "itsvc-lock:" + goal + ":" + System.getProperty("user.name", "?").replaceAll("[\\s:@]", "_")
                + "@" + host + ":pid=" + ProcessHandle.current().pid() + ":since="
                + clock.instant().truncatedTo(ChronoUnit.SECONDS);
        // The key is fresh for this take: it, not the holder's words (two runs of one process can say the same),
        // tells this run's own lock from another's.
        String key = publicKey(holder);
        if (create(cloud, name, key)) {
            return new CloudLock(cloud, name);
        }
        OSClientV3 os = cloud.client();
        Keypair existing = cloud.call("show lock " + name, Cloud.Kind.LOCK, () -> os.compute().keypairs().get(name));
        if (existing == null) { // released between the two calls
            if (create(cloud, name, publicKey(holder))) {
                return new CloudLock(cloud, name);
            }
            throw refused(name, site, cloud, "a run that took it just now", null);
        }
        if (keyOf(existing.getPublicKey()).equals(keyOf(key))) {
            return new CloudLock(cloud, name); // ours: a create Nova did whose answer was lost, then retried
        }
        Matcher m = HOLDER.matcher(String.valueOf(existing.getPublicKey()));
        Instant since = m.find() ? since(m.group("since")) : null;
        String who = since == null ? "a run that did not say who it is" : describe(m);
        String stale = null;
        if (since != null && since.plus(timeout).plus(MARGIN).isBefore(clock.instant())) {
            stale = "it is older than the run's deadline (" + timeout.toMinutes() + " min) plus " + MARGIN.toMinutes()
                    + " min";
        } else if (since != null && m.group("host").equals(host) && ProcessHandle.of(Long.parseLong(m.group("pid")))
                .map(p -> !p.isAlive()).orElse(true)) {
            stale = "its process has ended on this machine";
        }
        if (stale == null) {
            throw refused(name, site, cloud, who, since == null ? null : since.plus(timeout).plus(MARGIN));
        }
        log.accept("WARNING: taking over the lock of site " + site + " on cloud " + cloud.config().name() + " from "
                + who + ": " + stale);
        cloud.call("delete stale lock " + name, Cloud.Kind.LOCK, () -> os.compute().keypairs().delete(name));
        if (create(cloud, name, publicKey(holder))) {
            return new CloudLock(cloud, name);
        }
        throw refused(name, site, cloud, "a run that took over the stale lock just now", null);
    }

    /** Lets go of the lock; once. */
    public synchronized void release() throws TargetException {
        if (!held) {
            return;
        }
        held = false;
        OSClientV3 os = cloud.client();
        cloud.call("release lock " + name, Cloud.Kind.LOCK, () -> os.compute().keypairs().delete(name));
    }

    public String name() {
        return name;
    }

    /** Makes the lock's key pair: {@code false} if one of the name exists (409), the cloud's own atomic test. */
    private static boolean create(Cloud cloud, String name, String key) throws TargetException {
        OSClientV3 os = cloud.client();
        Keypair made = cloud.call("take lock " + name, Cloud.Kind.LOCK, () -> {
            try {
                return os.compute().keypairs().create(name, key);
            } catch (ResponseException e) {
                if (e.getStatus() == 409) {
                    return null; // held: not a failure to retry
                }
                throw e;
            }
        });
        return made != null;
    }

    /** The key material of an OpenSSH public key line (its second field), without type and comment. */
    private static String keyOf(String publicKey) {
        String[] fields = String.valueOf(publicKey).trim().split("\\s+");
        return fields.length > 1 ? fields[1] : "";
    }

    private static TargetException refused(String name, String site, Cloud cloud, String who, Instant staleAt) {
        return new TargetException("site " + site + " is being changed by another run: " + who + " (lock: key pair "
                + name + " on cloud " + cloud.config().name() + ")" + System.lineSeparator() + "    fix: wait until"
                + " that run ends; if it was stopped for good, remove the lock (openstack --os-cloud "
                + cloud.config().name() + " keypair delete " + name + ")" + (staleAt == null ? ""
                        : ", or run again after " + staleAt + " when it is taken over as stale"));
    }

    private static String describe(Matcher m) {
        return "itsvc:" + m.group("goal") + " by " + m.group("user") + "@" + m.group("host") + " (process "
                + m.group("pid") + "), since " + m.group("since");
    }

    private static Instant since(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** An OpenSSH Ed25519 public key, fresh, with the holder as its comment (Nova only takes a valid key). */
    static String publicKey(String comment) {
        try {
            byte[] spki = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
            byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length); // X.509 header, then the 32 bytes
            ByteArrayOutputStream blob = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(blob);
            byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
            out.writeInt(type.length);
            out.write(type);
            out.writeInt(raw.length);
            out.write(raw);
            return "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " " + comment;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Java 17 has Ed25519", e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[\\s:@]", "_");
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
