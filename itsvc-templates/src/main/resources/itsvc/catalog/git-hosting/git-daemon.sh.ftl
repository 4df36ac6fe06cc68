<#--
  Starts JGit's git daemon (GitDaemon.java beside this template) in the foreground on the role's port `git`, serving
  the bare repositories in srv/git of the instance root and creating those the site lists.

  Required: instance.ports.git, instance.address, site.target. JGit, JavaEWAH and SLF4J's API are unpacked into
  opt/lib/<name>; Java 17 or later is JAVA_HOME's, or the one on the PATH.
  Site values (optional):
    values.repositories   the repositories to create (bare) when missing, e.g. [services, infra]
-->
<#-- A single-quoted shell word. -->
<#function q text><#return "'" + text?replace("'", "'\\''") + "'"></#function>
#!/bin/sh
# Rendered by itsvc for ${service.name} ${instance.name} (site ${site.name}). Do not edit: edit the template.
set -eu
java="${r"${JAVA_HOME:+$JAVA_HOME/bin/}"}java"
exec "$java" -cp opt/lib/jgit:opt/lib/javaewah:opt/lib/slf4j-api bin/GitDaemon.java \
    ${q((site.target == "local")?then(instance.address, "0.0.0.0"))} ${instance.ports.git?c} srv/git<#list values.repositories![] as repository> ${q(repository)}</#list>
