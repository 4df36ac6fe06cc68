<#ftl output_format="HTML">
<#-- The service's landing page, rendered for every instance of the web role (see files: in service.yaml).
     FreeMarker, strict: a name that is not defined fails the build with this file's line and column.
     What templates see: service, site, values (the site's values), role, instance (name, index, address, ports)
     and binaries. -->
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${values.title}</title>
  <style>
    body { font-family: system-ui, sans-serif; margin: 0; color: #1f2933; background: #f5f7fa; }
    main { max-width: 40rem; margin: 4rem auto; padding: 2rem 2.5rem; background: #fff;
           border-radius: 0.5rem; box-shadow: 0 1px 3px rgba(0, 0, 0, 0.12); }
    h1 { margin-top: 0; }
    dl { display: grid; grid-template-columns: max-content auto; gap: 0.4rem 1.5rem; }
    dt { color: #616e7c; }
    dd { margin: 0; font-family: ui-monospace, monospace; }
  </style>
</head>
<body>
<main>
  <h1>${values.title}</h1>
  <p>It works: this page was rendered by itsvc and is served by Apache Tomcat.</p>
  <dl>
    <dt>Service</dt><dd>${service.name}</dd>
    <dt>Site</dt><dd>${site.name}</dd>
    <dt>Instance</dt><dd>${instance.name}</dd>
  </dl>
  <p>Edit <code>src/main/itsvc/templates/index.html.ftl</code> and run <code>mvn verify</code> to see your change.</p>
</main>
</body>
</html>
