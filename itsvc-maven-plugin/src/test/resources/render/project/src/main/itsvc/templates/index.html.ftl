<#-- The fixture service's own landing page: site values, the instance, every instance of its role. -->
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${values.title?html}</title></head>
<body>
<h1>${values.title?html}</h1>
<p>${instance.name} of ${role.count} at ${instance.address}:${instance.ports.http} (site ${site.name}, target ${site.target}).</p>
<ul>
<#list instances[role.name] as peer>
  <li>${peer.name}: ${peer.address}:${peer.ports.http}</li>
</#list>
</ul>
</body>
</html>
