#!/bin/sh
# Rendered by itsvc for message-broker broker-1 (site live). Do not edit: edit the template.
set -eu
home="$(pwd)/opt/artemis"
broker="$(pwd)/var/broker"
if [ ! -f "$broker/etc/broker.xml" ]; then
    password="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
    "$home/bin/artemis" create --silent --force --no-web --no-autotune --nio \
        --no-amqp-acceptor --no-mqtt-acceptor --no-stomp-acceptor --no-hornetq-acceptor \
        --name 'broker-1' --host '0.0.0.0' --default-port 61616 \
        --user admin --password "$password" --require-login \
        --java-memory '1G' \
        "$broker" > "$(pwd)/create.log" 2>&1 || { cat "$(pwd)/create.log" >&2; exit 1; }
fi
exec "$broker/bin/artemis" run
