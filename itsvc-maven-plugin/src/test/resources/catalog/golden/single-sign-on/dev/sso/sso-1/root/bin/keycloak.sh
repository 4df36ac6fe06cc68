#!/bin/sh
# Rendered by itsvc for single-sign-on sso-1 (site dev). Do not edit: edit the template.
set -eu
root="$(pwd)"
home="$root/opt/keycloak"
JAVA_HOME='/usr/lib/jvm/temurin-25-jdk-amd64'
export JAVA_HOME
if [ ! -x "$JAVA_HOME/bin/java" ]; then
    echo "error: no Java at $JAVA_HOME/bin/java (site value javaHome of site dev)" >&2
    echo "    fix: install a Java 21 or later there, or set javaHome in src/main/itsvc/sites/dev.yaml to one" >&2
    exit 1
fi
# "25.0.3" or "21" or "1.8.0_452": the feature version is the first number, or the second after "1.".
version="$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
feature="${version#1.}"; feature="${feature%%.*}"
if [ -z "$feature" ] || [ "$feature" -lt 21 ]; then
    echo "error: $JAVA_HOME is Java ${version:-of unknown version}: Keycloak needs Java 21 or later (site value javaHome of site dev)" >&2
    echo "    fix: set javaHome in src/main/itsvc/sites/dev.yaml to a Java 21 or later" >&2
    exit 1
fi
JAVA_OPTS_KC_HEAP='-Xms256m -Xmx768m'
export JAVA_OPTS_KC_HEAP

# The build step, once: its options are recorded in the distribution (lib/quarkus), start --optimized reads them.
if [ ! -f "$root/var/built" ]; then
    mkdir -p "$root/var"
    "$home/bin/kc.sh" build --db='dev-file' --health-enabled=true > "$root/var/build.log" 2>&1 \
        || { cat "$root/var/build.log" >&2; exit 1; }
    : > "$root/var/built"
fi

# The bootstrap admin (used only while the master realm has no admin): from the environment, else made once here.
if [ -z "${KC_BOOTSTRAP_ADMIN_PASSWORD:-}" ]; then
    if [ ! -s "$root/var/admin-password" ]; then
        (umask 077; od -An -tx1 -N16 /dev/urandom | tr -d ' \n' > "$root/var/admin-password")
    fi
    KC_BOOTSTRAP_ADMIN_PASSWORD="$(cat "$root/var/admin-password")"
fi
KC_BOOTSTRAP_ADMIN_USERNAME=admin
export KC_BOOTSTRAP_ADMIN_USERNAME KC_BOOTSTRAP_ADMIN_PASSWORD

exec "$home/bin/kc.sh" start --optimized --cache=local \
    --http-enabled=true --http-host='127.0.0.1' --http-port=8080 \
    --http-management-port=9000 \
    --hostname-strict=false
