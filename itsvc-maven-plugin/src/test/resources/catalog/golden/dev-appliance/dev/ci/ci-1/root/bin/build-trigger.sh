#!/bin/sh
# Rendered by itsvc for dev-appliance ci-1 (site dev). Do not edit: edit the template.
set -eu
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$java" -cp opt/lib/jgit:opt/lib/javaewah:opt/lib/slf4j-api bin/BuildTrigger.java \
    '127.0.0.1' 8010 var/builds 2 \
    'mvn -B -o verify' 'git://127.0.0.1:9418/services.git'
