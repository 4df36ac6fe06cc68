// svc/ = the generated service in git, with the user's edit of the landing page committed; archetype version B =
// version A with a new dev title (see ../shared/upgrade.groovy).
evaluate(new File(itShared, 'prepare.groovy'))

binding.setVariable('edits', { File svc ->
    File page = new File(svc, 'src/main/itsvc/templates/index.html.ftl')
    page.setText(replace(page.getText('UTF-8'), 'It works: this page was rendered by itsvc',
            'Our team wiki: this page was rendered by itsvc'), 'UTF-8')
})
evaluate(new File(itShared, 'upgrade.groovy'))
