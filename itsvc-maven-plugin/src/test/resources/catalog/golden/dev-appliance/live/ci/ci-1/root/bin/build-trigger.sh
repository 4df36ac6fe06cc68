#!/bin/sh
# Rendered by itsvc for dev-appliance ci-1 (site live). Do not edit: edit the template.
set -eu
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$java" -cp opt/lib/jgit:opt/lib/javaewah:opt/lib/slf4j-api bin/BuildTrigger.java \
    '0.0.0.0' 8010 var/builds 30 \
    'mvn -B verify' 'git://git-1.live.dev-appliance.itsvc.invalid:9418/services.git' 'git://git-1.live.dev-appliance.itsvc.invalid:9418/infra.git'
