package io.github.itsvc.release;

/**
 * Every sync check of {@link SyncerTest}, with releases and channel records signed by SSH keys (git's
 * {@code gpg.format=ssh}) and the subscriber trusting the publisher's SSH public key.
 */
class SshSignedSyncerTest extends SyncerTest {

    @Override
    ReleaseKeys keys(String name) throws Exception {
        return upstreams.ssh(name);
    }
}
