"""The status site, built the way mkdocs reads: config -> records -> views -> templates ->
output (build.py runs the steps).

records.py   what one build may show (public or internal), as of `now`
uptime.py    day bars and uptime from each service's spans (model/impact.py)
views.py     current status, groups, active and recent incidents, months
statuspage.py, feeds.py, badges.py   the JSON API, Atom feeds, SVG badges
sections.py  pages supplied by other parts (SLA, KPIs, access)
pages.py     the page plan and each page's context; output.py  rendering (in two
             processes for a large site), writing what changed
manifest.py  the files of the last build, and whether it finished (a killed build recovers)
pagekeys.py, stamps.py  which pages a rebuild need not render again
"""
