package io.github.itsvc.maven;

/** Every {@code -D} property the itsvc goals read, in one place. */
public final class PropertyNames {

    /** The site to work on: {@code src/main/itsvc/sites/<site>.yaml}. */
    public static final String SITE = "itsvc.site";
    /** Skips every itsvc goal. */
    public static final String SKIP = "itsvc.skip";

    /** The content-addressed binary cache; default {@code ~/.itsvc/cache}. */
    public static final String CACHE = "itsvc.cache";
    /** The lock file; default {@code itsvc.lock} beside the POM. */
    public static final String LOCK_FILE = "itsvc.lockFile";
    /** How long to wait for a publisher's connection, e.g. {@code 30s}. */
    public static final String CONNECT_TIMEOUT = "itsvc.connectTimeout";
    /** How long to wait for a publisher's answer and each part of a download. */
    public static final String READ_TIMEOUT = "itsvc.readTimeout";
    /** {@code pin}: accept a changed file for an unchanged source. */
    public static final String FORCE = "itsvc.force";

    /** Where the local target keeps instances; default {@code .itsvc} beside the POM. */
    public static final String INSTANCES_DIRECTORY = "itsvc.instancesDirectory";
    /** {@code mvn verify}: leave the deployment running after the build. */
    public static final String KEEP = "itsvc.keep";
    /** {@code provision}: print the plan, change nothing. */
    public static final String DRY_RUN = "itsvc.dryRun";
    /** Where test-deployment writes JUnit XML; default {@code target/itsvc-reports}. */
    public static final String REPORTS_DIRECTORY = "itsvc.reportsDirectory";

    /** {@code release}: the version to release (default: the project's, without -SNAPSHOT); {@code promote}: the one to promote. */
    public static final String RELEASE = "itsvc.release";
    /** {@code promote}: the channel to promote to. */
    public static final String CHANNEL = "itsvc.channel";
    /** The channels in order, comma-separated; default {@code dev,beta,live}. */
    public static final String CHANNELS = "itsvc.channels";
    /** How long a channel record stays valid, e.g. {@code 720h}. */
    public static final String CHANNEL_VALIDITY = "itsvc.channelValidity";
    /** The upstream repository releases are pushed to: a remote's name or a URL; default {@code origin}. */
    public static final String REMOTE = "itsvc.remote";
    /** The settings.xml server with the upstream's username and password; default {@code itsvc-upstream}. */
    public static final String SERVER_ID = "itsvc.serverId";
    /** The settings.xml server whose privateKey and passphrase sign releases; default {@code itsvc-signing}. */
    public static final String SIGNING_SERVER_ID = "itsvc.signingServerId";
    /** An OpenPGP secret key (armored) or OpenSSH private key file that signs releases, instead of the server's. */
    public static final String SIGNING_KEY = "itsvc.signingKey";
    /** The SSH directory (keys, config, known_hosts) for ssh:// upstreams; default {@code ~/.ssh}. */
    public static final String SSH_DIRECTORY = "itsvc.sshDirectory";
    /** {@code share}: the upstream's branch the changes are for; default {@code main}. */
    public static final String BASE_BRANCH = "itsvc.baseBranch";
    /** {@code share}: where the base branch is (a remote's name or a URL), when the branch goes to a fork. */
    public static final String UPSTREAM = "itsvc.upstream";
    /** {@code sync}: where subscribed sites keep their trusted state; default {@code ~/.itsvc/subscriptions}. */
    public static final String SUBSCRIPTIONS_DIRECTORY = "itsvc.subscriptionsDirectory";

    /** openstack: how replaced instances go, {@code rolling} (one at a time, the default) or {@code recreate}. */
    public static final String STRATEGY = "itsvc.strategy";
    /** openstack: the whole run's budget on the cloud, e.g. {@code 20m}. */
    public static final String CLOUD_TIMEOUT = "itsvc.cloudTimeout";

    /** {@code upgrade}: the archetype version to upgrade the project to; default the plugin's version. */
    public static final String UPGRADE_TO = "itsvc.upgradeTo";

    /** The default site. */
    public static final String DEFAULT_SITE = "dev";

    private PropertyNames() {}
}
