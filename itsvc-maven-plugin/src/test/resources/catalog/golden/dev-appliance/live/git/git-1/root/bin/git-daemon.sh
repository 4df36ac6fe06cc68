#!/bin/sh
# Rendered by itsvc for dev-appliance git-1 (site live). Do not edit: edit the template.
set -eu
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$java" -cp opt/lib/jgit:opt/lib/javaewah:opt/lib/slf4j-api bin/GitDaemon.java \
    '0.0.0.0' 9418 srv/git 'services' 'infra'
