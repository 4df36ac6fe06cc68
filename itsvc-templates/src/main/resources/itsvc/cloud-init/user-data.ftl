<#--
  cloud-init user-data for one instance: users and SSH keys, the rendered files, the role as a systemd unit.
  The renderer writes it to <site>/<role>/<instance>/cloud-init/user-data. A service may override it with its own
  src/main/itsvc/templates/itsvc/cloud-init/user-data.ftl.

  Required variables (all from the renderer):
    service.name, site.name
    role.name, role.install, role.run (optional: no run, no unit)
    instance.name, instance.root   the instance root on the machine; files[].path is relative to it
    files                          the instance's rendered files: path, mode, base64 (the content)
    binaries                       for the install hook
  Optional site values:
    values.sshAuthorizedKeys   public keys for the image's default user (debian on Debian images)
    values.users               more login users: name, sshAuthorizedKeys, sudo (true, or a sudoers rule),
                               groups (a list), shell
    values.packages            Debian packages to install (apt) before anything runs, e.g. [openjdk-21-jre-headless]
-->
<#import "/itsvc/systemd/unit.ftl" as unit>
<#-- The system user roles run as: it owns the instance root. -->
<#assign runAs = "itsvc">
<#assign unitName = unit.name(service, role)>
<#-- A YAML double-quoted scalar (?json_string would also escape every "/" as "\/": valid, but noisy). -->
<#function q text>
  <#return "\"" + text?replace("\\", "\\\\")?replace("\"", "\\\"")?replace("\n", "\\n")?replace("\r", "\\r")?replace("\t", "\\t") + "\"">
</#function>
<#--
  HOOK (binaries): installing the role's binaries on the instance is a later issue. It goes here: for each entry
  of role.install, fetch binaries[entry.binary] from its publisher, check binaries[...].hashes, unpack it to
  instance.root/entry.unpack stripping entry.strip leading path components. Until then the plan is a comment.
-->
<#macro installBinaries>
<#list role.install as entry>
  # install ${entry.binary} (${binaries[entry.binary].source}) into ${entry.unpack}, strip ${entry.strip}: not automated yet
</#list>
</#macro>
#cloud-config
# Rendered by itsvc for ${service.name} ${instance.name} (site ${site.name}). Do not edit: edit the template.
hostname: ${q(instance.name)}
<#if (values.sshAuthorizedKeys)?has_content>
ssh_authorized_keys:
<#list values.sshAuthorizedKeys as key>
  - ${q(key)}
</#list>
</#if>
users:
  - default
  - name: ${q(runAs)}
    system: true
    shell: /usr/sbin/nologin
<#list (values.users)![] as user>
  - name: ${q(user.name)}
    shell: ${q(user.shell!"/bin/bash")}
    lock_passwd: true
  <#if user.sudo??>
    <#if user.sudo?is_boolean>
      <#if user.sudo>
    sudo: "ALL=(ALL) NOPASSWD:ALL"
      </#if>
    <#else>
    sudo: ${q(user.sudo)}
    </#if>
  </#if>
  <#if (user.groups)?has_content>
    groups: [<#list user.groups as group>${q(group)}<#sep>, </#list>]
  </#if>
  <#if (user.sshAuthorizedKeys)?has_content>
    ssh_authorized_keys:
    <#list user.sshAuthorizedKeys as key>
      - ${q(key)}
    </#list>
  </#if>
</#list>
<#if (values.packages)?has_content>
package_update: true
packages:
<#list values.packages as package>
  - ${q(package)}
</#list>
</#if>
<#if files?has_content || role.run??>
write_files:
<#list files as file>
  - path: ${q(instance.root + "/" + file.path)}
    owner: "root:root"
    permissions: ${q(file.mode)}
    encoding: b64
    content: ${q(file.base64)}
</#list>
<#if role.run??>
  <#assign unitText><@unit.service service=service role=role instance=instance user=runAs/></#assign>
  - path: ${q("/etc/systemd/system/" + unitName)}
    owner: "root:root"
    permissions: "0644"
    content: |
<#list unitText?remove_ending("\n")?split("\n") as line>
<#if line?has_content>      ${line}</#if>
</#list>
</#if>
</#if>
runcmd:
  - [mkdir, -p, ${q(instance.root)}]
<@installBinaries/>
  - [chown, -R, ${q(runAs + ":" + runAs)}, ${q(instance.root)}]
<#if role.run??>
  - [systemctl, daemon-reload]
  - [systemctl, enable, --now, ${q(unitName)}]
</#if>
