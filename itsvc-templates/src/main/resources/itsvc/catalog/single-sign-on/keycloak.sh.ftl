<#--
  Starts Keycloak (its Quarkus distribution) in the foreground. On first start it runs Keycloak's own build step
  (`kc.sh build`: the database kind and health endpoints are build-time options), which takes about a minute;
  every start after that is `kc.sh start --optimized`, which skips it.

  Required: instance.ports.http, instance.ports.management, instance.address, site.target, and the site value
  values.javaHome: the Java 21 or later that runs Keycloak (its home: <javaHome>/bin/java), never the PATH's, so
  that the site says which one runs it. The distribution is unpacked into opt/keycloak.
  Site values (optional):
    values.database       Keycloak's database kind, a build-time option: dev-file (the default: an embedded H2 file
                          in opt/keycloak/data, one instance only) or postgres, mariadb... with values.databaseUrl
    values.databaseUrl    the JDBC URL of that database; its user and password come from the environment
                          (KC_DB_USERNAME, KC_DB_PASSWORD), never from a site file
    values.hostname       the public URL or host name of the server (hostname-strict when set); default: any
    values.heap           the largest Java heap, -Xmx (default 1g)
  Secrets: the bootstrap admin's password is KC_BOOTSTRAP_ADMIN_PASSWORD from the environment when set; otherwise a
  random one is made on first start and kept only in var/admin-password (owner-only). Neither is ever printed.
-->
<#-- A single-quoted shell word. -->
<#function q text><#return "'" + text?replace("'", "'\\''") + "'"></#function>
<#if !(values.javaHome)?has_content>
<#stop "site " + site.name + " has no value javaHome: Keycloak needs a Java 21 or later, and the site names the one that runs it. fix: add to src/main/itsvc/sites/" + site.name + ".yaml under values: javaHome: /usr/lib/jvm/<a Java 21 or later>">
</#if>
#!/bin/sh
# Rendered by itsvc for ${service.name} ${instance.name} (site ${site.name}). Do not edit: edit the template.
set -eu
root="$(pwd)"
home="$root/opt/keycloak"
JAVA_HOME=${q(values.javaHome)}
export JAVA_HOME
if [ ! -x "$JAVA_HOME/bin/java" ]; then
    echo "error: no Java at $JAVA_HOME/bin/java (site value javaHome of site ${site.name})" >&2
    echo "    fix: install a Java 21 or later there, or set javaHome in src/main/itsvc/sites/${site.name}.yaml to one" >&2
    exit 1
fi
# "25.0.3" or "21" or "1.8.0_452": the feature version is the first number, or the second after "1.".
version="$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
feature="${r"${version#1.}"}"; feature="${r"${feature%%.*}"}"
if [ -z "$feature" ] || [ "$feature" -lt 21 ]; then
    echo "error: $JAVA_HOME is Java ${r"${version:-of unknown version}"}: Keycloak needs Java 21 or later (site value javaHome of site ${site.name})" >&2
    echo "    fix: set javaHome in src/main/itsvc/sites/${site.name}.yaml to a Java 21 or later" >&2
    exit 1
fi
JAVA_OPTS_KC_HEAP=${q("-Xms256m -Xmx" + (values.heap!"1g"))}
export JAVA_OPTS_KC_HEAP

# The build step, once: its options are recorded in the distribution (lib/quarkus), start --optimized reads them.
if [ ! -f "$root/var/built" ]; then
    mkdir -p "$root/var"
    "$home/bin/kc.sh" build --db=${q(values.database!"dev-file")} --health-enabled=true > "$root/var/build.log" 2>&1 \
        || { cat "$root/var/build.log" >&2; exit 1; }
    : > "$root/var/built"
fi

# The bootstrap admin (used only while the master realm has no admin): from the environment, else made once here.
if [ -z "${r"${KC_BOOTSTRAP_ADMIN_PASSWORD:-}"}" ]; then
    if [ ! -s "$root/var/admin-password" ]; then
        (umask 077; od -An -tx1 -N16 /dev/urandom | tr -d ' \n' > "$root/var/admin-password")
    fi
    KC_BOOTSTRAP_ADMIN_PASSWORD="$(cat "$root/var/admin-password")"
fi
KC_BOOTSTRAP_ADMIN_USERNAME=admin
export KC_BOOTSTRAP_ADMIN_USERNAME KC_BOOTSTRAP_ADMIN_PASSWORD

exec "$home/bin/kc.sh" start --optimized --cache=local \
    --http-enabled=true --http-host=${q((site.target == "local")?then(instance.address, "0.0.0.0"))} --http-port=${instance.ports.http?c} \
    --http-management-port=${instance.ports.management?c} \
<#if values.databaseUrl??>
    --db-url=${q(values.databaseUrl)} \
</#if>
<#if values.hostname??>
    --hostname=${q(values.hostname)}
<#else>
    --hostname-strict=false
</#if>
