<#--
  systemd units for itsvc roles. A macro library: import it, do not render it as a file.

    <#import "/itsvc/systemd/unit.ftl" as unit>
    <@unit.service service=service role=role instance=instance/>   the unit's text
    ${unit.name(service, role)}                                    its file name, itsvc-<service>-<role>.service

  Required variables (the renderer's, passed as parameters):
    service.name
    role.name, role.run       the command; a relative executable (opt/tomcat/bin/catalina.sh) is taken from
                              the instance root, a bare one (java) from systemd's search path
    instance.name, instance.root
  Optional parameters:
    user         the user the role runs as (default "itsvc", created by /itsvc/cloud-init/user-data.ftl)
    description  (default "itsvc <service> <instance>")
    environment  a hash of environment variables (default none)
    restart      systemd Restart= (default "on-failure")
-->
<#macro service service role instance user="itsvc" description="" environment={} restart="on-failure">
<#if !role.run??>
  <#stop "role " + role.name + " has no run: a systemd unit needs the command that runs the role; add run: to it">
</#if>
[Unit]
Description=${description?has_content?then(description, "itsvc " + service.name + " " + instance.name)}
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
User=${user}
WorkingDirectory=${instance.root}
<#list environment as key, value>
Environment="${escape(key + "=" + value)}"
</#list>
ExecStart=${execStart(role.run, instance.root)}
Restart=${restart}
RestartSec=5

[Install]
WantedBy=multi-user.target
</#macro>

<#-- The unit's file name. -->
<#function name service role>
  <#return "itsvc-" + service.name + "-" + role.name + ".service">
</#function>

<#--
  ExecStart wants an absolute executable: a relative one with a slash is resolved against the instance root.
  % starts a systemd specifier, so it is doubled.
-->
<#function execStart run root>
  <#local command = run?trim>
  <#local executable = command?keep_before(" ")>
  <#if executable?contains("/") && !executable?starts_with("/")>
    <#local command = root + "/" + command>
  </#if>
  <#return command?replace("%", "%%")>
</#function>

<#-- Quoting inside Environment="...": backslashes, quotes and specifiers. -->
<#function escape text>
  <#return text?replace("\\", "\\\\")?replace("\"", "\\\"")?replace("%", "%%")>
</#function>
