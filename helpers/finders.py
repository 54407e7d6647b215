"""The built-in finders, registered: actors, dates and treaties (helpers.registry holds the table).

`import helpers` runs this module; a finder of your own registers the same way (`register(Finder(...))`).
"""

from functools import partial

from helpers.actors import ACTOR_COLUMNS, find_actors, relink
from helpers.context import quoted_titles
from helpers.dates import DATE_COLUMNS, find_dates
from helpers.registry import EXCLUSIONS, Finder, register
from helpers.treaties import TREATY_COLUMNS, find_treaties, treaty_name_spans

# quoted titles («...») and treaty names ("Istanbul Convention") are names of works, not actors
EXCLUSIONS["quoted titles"] = quoted_titles
EXCLUSIONS["treaty names"] = treaty_name_spans

register(
    Finder(
        "actors",
        find_actors,
        tuple(ACTOR_COLUMNS),
        "kind",
        {"person": "#C44E52", "organisation": "#4C72B0", "country": "#55A868", "place": "#DD8452"},
        ("doc_id", "kind", "actor", "actor_id", "source"),
        excludes=("quoted titles", "treaty names"),
        corpus_step=relink,
        find_each=partial(find_actors, link=False),
    )
)
register(
    Finder(
        "dates",
        find_dates,
        tuple(DATE_COLUMNS),
        "type",
        {"DATE": "#8172B3", "DURATION": "#2A9D8F", "TIME": "#DA8BC3", "SET": "#8C8C8C"},
        ("doc_id", "type"),
    )
)
register(
    Finder(
        "treaties",
        find_treaties,
        tuple(TREATY_COLUMNS),
        "match",
        {
            "number+title": "#B2182B",
            "number+short_name": "#B2182B",
            "title": "#E08214",
            "short_name": "#7B3294",
            "number": "#937860",
            "topic": "#4393C3",
            "not_coe": "#A6761D",  # another body's treaty (UN, OECD, ...): named, not linked
        },
        ("doc_id", "match", "strength", "series"),
    )
)
