// svc/ = the generated service in git, with the user's edit of the landing page committed; archetype version B =
// version A with a new dev title (see ../shared/upgrade.groovy).
evaluate(new File(itShared, 'prepare.groovy'))

def replace = { String text, String from, String to ->
    assert text.contains(from) : "no '${from}' in:\n${text}\nthe archetype changed: adapt this IT"
    text.replace(from, to)
}
binding.setVariable('variant', { String path, String text ->
    path == 'archetype-resources/src/main/itsvc/sites/dev.yaml'
            ? replace(text, 'title: "${serviceName} (dev)"', 'title: "${serviceName} (dev, upgraded)"') : text
})
binding.setVariable('edits', { File svc ->
    File page = new File(svc, 'src/main/itsvc/templates/index.html.ftl')
    page.setText(replace(page.getText('UTF-8'), 'It works: this page was rendered by itsvc',
            'Our team wiki: this page was rendered by itsvc'), 'UTF-8')
})
evaluate(new File(itShared, 'upgrade.groovy'))
