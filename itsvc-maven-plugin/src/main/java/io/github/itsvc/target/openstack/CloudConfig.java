package io.github.itsvc.target.openstack;

/**
 * How to reach and authenticate to one cloud: a clouds.yaml entry, or the {@code OS_*} variables. Secrets stay in
 * here: {@link #toString()} leaves them out, so a config can be logged.
 *
 * @param name the cloud's name (the clouds.yaml entry, or {@code OS_* variables})
 * @param source where it came from, for messages: a clouds.yaml path or "the OS_* environment variables"
 * @param authUrl Keystone's URL, with or without {@code /v3}
 * @param username the user's name ({@code null} with a user id or an application credential id)
 * @param userId the user's id
 * @param password the password ({@code null} for application credentials)
 * @param userDomain the user's domain, by name or id
 * @param project the project, by name or id ({@code null} for application credentials: they carry their project)
 * @param projectDomain the project's domain, by name or id
 * @param applicationCredentialId an application credential's id ({@code null} for passwords)
 * @param applicationCredentialName its name (with the user), when no id is given
 * @param applicationCredentialSecret its secret
 * @param region the region, or {@code null} for the first the catalog offers
 * @param endpointInterface {@code public} (default), {@code internal} or {@code admin}
 * @param cacert a PEM file of CA certificates to trust, or {@code null} for Java's
 * @param verify whether TLS certificates are checked ({@code verify: false} in clouds.yaml turns it off)
 */
public record CloudConfig(String name, String source, String authUrl, String username, String userId,
        String password, Ref userDomain, Ref project, Ref projectDomain, String applicationCredentialId,
        String applicationCredentialName, String applicationCredentialSecret, String region,
        String endpointInterface, String cacert, boolean verify) {

    /** A Keystone object named by id or by name. */
    public record Ref(String id, String name) {
        public static final Ref DEFAULT_DOMAIN = new Ref("default", null);

        public boolean isEmpty() {
            return id == null && name == null;
        }

        @Override
        public String toString() {
            return id != null ? "id " + id : "'" + name + "'";
        }
    }

    public boolean usesApplicationCredential() {
        return applicationCredentialId != null || applicationCredentialName != null;
    }

    /** Who authenticates, for messages: the user or the application credential, never a secret. */
    public String who() {
        if (usesApplicationCredential()) {
            return "application credential " + (applicationCredentialId != null ? applicationCredentialId
                    : "'" + applicationCredentialName + "'");
        }
        return "user " + (username != null ? "'" + username + "'" : "id " + userId)
                + (project == null || project.isEmpty() ? "" : " in project " + project);
    }

    /** A copy with another password (from settings.xml). */
    public CloudConfig withPassword(String newPassword, String newSource) {
        return new CloudConfig(name, newSource, authUrl, username, userId, newPassword, userDomain, project,
                projectDomain, applicationCredentialId, applicationCredentialName, applicationCredentialSecret, region,
                endpointInterface, cacert, verify);
    }

    @Override
    public String toString() {
        return "cloud " + name + " (" + source + "): " + authUrl + ", " + who()
                + (region == null ? "" : ", region " + region);
    }
}
