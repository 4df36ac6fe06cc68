<#-- A role's systemd unit as a plain file, through the shared macro library (and its escaping). -->
<#import "/itsvc/systemd/unit.ftl" as unit>
<@unit.service service=service role=role instance=instance
    description="Team wiki web server " + instance.name
    environment={"CATALINA_OPTS": "-Dfile.encoding=UTF-8 -Dquote=\"a b\" -Dpercent=100%", "LANG": "C.UTF-8"}/>
