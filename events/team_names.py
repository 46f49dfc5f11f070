"""The names a team goes by: official and common names of the same team.

``ALIASES`` lists them (``Korea Republic``/``South Korea``, ``Côte d'Ivoire``/``Ivory
Coast``, ``Man Utd``/``Manchester United``), keyed by :func:`events.names.team_key`.  A
match reads it only as a last resort, when the lines themselves cannot say which side a
name is (see ``projections.teams``).
"""

from __future__ import annotations

from events.names import team_key

# fmt: off
_GROUPS: tuple[tuple[str, ...], ...] = (
    # national teams: the official (FIFA) name and the common English ones
    ("Korea Republic", "South Korea", "Republic of Korea"),
    ("Korea DPR", "North Korea", "DPR Korea"),
    ("IR Iran", "Iran", "Islamic Republic of Iran"),
    ("China PR", "China"),
    ("Côte d'Ivoire", "Ivory Coast", "Cote dIvoire"),
    ("Türkiye", "Turkey"),
    ("Czechia", "Czech Republic"),
    ("USA", "United States", "United States of America", "USMNT"),
    ("Cabo Verde", "Cape Verde", "Cape Verde Islands"),
    ("Congo DR", "DR Congo", "Democratic Republic of the Congo", "Congo-Kinshasa"),
    ("Congo", "Republic of the Congo", "Congo-Brazzaville"),
    ("Bosnia and Herzegovina", "Bosnia-Herzegovina", "Bosnia"),
    ("Republic of Ireland", "Ireland"),
    ("North Macedonia", "Macedonia"),
    ("Eswatini", "Swaziland"),
    ("Netherlands", "Holland"),
    ("Kyrgyz Republic", "Kyrgyzstan"),
    ("Chinese Taipei", "Taiwan"),
    ("Timor-Leste", "East Timor"),
    ("Brunei Darussalam", "Brunei"),
    ("Vietnam", "Viet Nam"),
    ("United Arab Emirates", "UAE"),
    ("Saudi Arabia", "KSA"),
    ("St Kitts and Nevis", "Saint Kitts and Nevis"),
    ("St Lucia", "Saint Lucia"),
    ("St Vincent and the Grenadines", "Saint Vincent and the Grenadines"),
    ("São Tomé and Príncipe", "Sao Tome and Principe"),
    ("Gambia", "The Gambia"),
    ("Hong Kong, China", "Hong Kong"),
    ("Palestine", "State of Palestine"),
    # clubs: the short names lines use
    ("Manchester United", "Man Utd", "Man United"),
    ("Manchester City", "Man City"),
    ("Tottenham Hotspur", "Tottenham", "Spurs"),
    ("Wolverhampton Wanderers", "Wolves"),
    ("Brighton and Hove Albion", "Brighton"),
    ("West Ham United", "West Ham"),
    ("Newcastle United", "Newcastle"),
    ("Nottingham Forest", "Nott'm Forest", "Forest"),
    ("Sheffield United", "Sheff Utd"),
    ("Internazionale", "Inter Milan", "Inter"),
    ("Bayern Munich", "Bayern München", "Bayern"),
    ("Borussia Mönchengladbach", "Gladbach", "Mönchengladbach"),
    ("Paris Saint-Germain", "PSG", "Paris SG"),
    ("Atlético Madrid", "Atlético de Madrid", "Atletico"),
)
# fmt: on


ALIASES: dict[str, frozenset[str]] = {}
"""Team key -> the keys of every name of that team (itself included)."""
for _group in _GROUPS:
    _keys = frozenset(team_key(n) for n in _group)
    for _key in _keys:
        ALIASES[_key] = ALIASES.get(_key, frozenset()) | _keys


def known_aliases(a: str, b: str) -> bool:
    """True when the table lists ``a`` and ``b`` as names of one team."""
    ka, kb = team_key(a), team_key(b)
    return ka == kb or kb in ALIASES.get(ka, ())
