# store of ${service.name} on site ${site.name}
title=${values.title}
