<#--
  Starts an Apache ActiveMQ Artemis broker in the foreground: on first start, Artemis's own `artemis create` makes
  the broker instance (var/broker: configuration, journal, logs) with one acceptor on the role's port `broker`
  (CORE, AMQP, OpenWire, MQTT and STOMP on one port), then `artemis run` replaces this script.

  Required: instance.ports.broker, instance.address, site.target. The distribution is unpacked into opt/artemis.
  Site values (optional):
    values.anonymous     true: clients need no credentials (the dev site, on 127.0.0.1 only). Default false: every
                         client logs in.
    values.brokerMemory  the broker's largest Java heap (-Xmx), at least 512M, the heap Artemis starts with (default 1G).
  The broker's admin user is `admin`; its password is made at first start, kept only on the instance (hashed in
  var/broker/etc/artemis-users.properties): set it with `var/broker/bin/artemis user reset --user admin ...`.
-->
<#-- A single-quoted shell word. -->
<#function q text><#return "'" + text?replace("'", "'\\''") + "'"></#function>
#!/bin/sh
# Rendered by itsvc for ${service.name} ${instance.name} (site ${site.name}). Do not edit: edit the template.
set -eu
home="$(pwd)/opt/artemis"
broker="$(pwd)/var/broker"
if [ ! -f "$broker/etc/broker.xml" ]; then
    password="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
    "$home/bin/artemis" create --silent --force --no-web --no-autotune --nio \
        --no-amqp-acceptor --no-mqtt-acceptor --no-stomp-acceptor --no-hornetq-acceptor \
        --name ${q(instance.name)} --host ${q((site.target == "local")?then(instance.address, "0.0.0.0"))} --default-port ${instance.ports.broker?c} \
        --user admin --password "$password" <#if values.anonymous!false>--allow-anonymous<#else>--require-login</#if> \
        --java-memory ${q(values.brokerMemory!"1G")} \
        "$broker" > "$(pwd)/create.log" 2>&1 || { cat "$(pwd)/create.log" >&2; exit 1; }
fi
exec "$broker/bin/artemis" run
