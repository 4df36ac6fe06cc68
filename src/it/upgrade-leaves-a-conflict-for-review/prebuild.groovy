// svc/ = the generated service in git, with the user's own title, an edit of the landing page and a file of their
// own committed; archetype version B = version A with another dev title (see ../shared/upgrade.groovy).
evaluate(new File(itShared, 'prepare.groovy'))

binding.setVariable('edits', { File svc ->
    File dev = new File(svc, 'src/main/itsvc/sites/dev.yaml')
    dev.setText(replace(dev.getText('UTF-8'), 'title: "team-wiki (dev)"', 'title: "Team Wiki"'), 'UTF-8')
    File page = new File(svc, 'src/main/itsvc/templates/index.html.ftl')
    page.setText(replace(page.getText('UTF-8'), 'It works: this page was rendered by itsvc',
            'Our team wiki: this page was rendered by itsvc'), 'UTF-8')
    new File(svc, 'NOTES.md').setText('Our own notes.\n', 'UTF-8')
})
evaluate(new File(itShared, 'upgrade.groovy'))
