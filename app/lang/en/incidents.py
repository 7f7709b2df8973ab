"""English rules for incident extraction: event words and their ACLED types, number words and
qualifiers, reporting and denial verbs, cues for tolls, habits, background and victims.

Tables only: app/incidents.py applies them. A language is a folder beside this one holding the
same names (see app/lang/__init__.py).
"""

from __future__ import annotations

import re

from .words import QUALIFIERS

ERV = "Explosions/Remote violence"
BATTLES = "Battles"
VAC = "Violence against civilians"
SD = "Strategic developments"

# (pattern, event_type, sub_event_type, priority): the highest priority in a sentence wins.
TRIGGERS: list[tuple[re.Pattern, str, str, int]] = [
    (re.compile(r"\bsuicide (?:bomb(?:er|ing|s)?|attack(?:er)?s?|car bomb)"), ERV, "Suicide bomb", 100),
    (re.compile(r"\b(?:ieds?|bomb blasts?|bombings?|bomb attacks?|bombs? (?:exploded|went off)|(?:explosion|blast) (?:hit|struck|killed|targeted|ripped)|roadside bombs?|land ?mines?|improvised explosive|car bombs?|explosive devices?|mine explosions?|blown up|(?:by|a|the) mines?|mines? (?:blast|exploded|explosion))\b"), ERV, "Remote explosive/landmine/IED", 90),
    (re.compile(r"\b(?:air ?strikes?|air[- ]attacks?|air raids?|drone (?:strikes?|attacks?)|drones? (?:struck|hit|attacked|targeted)|(?:warplanes?|aircraft|helicopters?|bombers?|su-\d+s?|mig-?\d*s?|f-\d+s?) (?:struck|hit|bombed|attacked|targeted|pounded)|warplanes?|jets? (?:struck|bombed|hit)|aerial bombardment|helicopter gunships?|glide bombs?|kamikaze drones?|shahed drones?|bombed|barrel bombs?)\b"), ERV, "Air/drone strike", 80),
    (re.compile(r"\b(?:(?:deadly|fatal|lethal)\s+(?:\w+\s+)?strikes?\b|(?:a|an|the|one|another|israeli|russian|us|u\.s\.)\s+(?:\w+\s+)?strikes?\s+(?:hit|struck|on|killed|targeted|destroyed)|(?:building|house|home|school|market|hospital|camp|vehicle|car|apartment|tent|shelter|mosque|church)s?\s+(?:was|were|had been)\s+(?:struck|hit|bombed|targeted))\b"), ERV, "Air/drone strike", 75),
    (re.compile(r"\b(?:shell(?:ing|ed|s)?(?! casings)|artillery|mortars?|rockets?|missiles?|bombardment|multiple[- ]rocket|mlrs|ballistic|cluster munitions?|projectiles?)\b"), ERV, "Shelling/artillery/missile attack", 70),
    (re.compile(r"\bgrenades?\b"), ERV, "Grenade", 65),
    (re.compile(r"\b(?:shot down|downed)\b"), BATTLES, "Armed clash", 60),
    (re.compile(r"\b(?:recaptured|retook|regained control|liberated|took back)\b"), BATTLES, "Government regains territory", 55),
    (re.compile(r"\b(?:captured|seized|took control|taken control|overran|overrun|fell to|had taken)\b"
                # "seized their ammunition", "captured weapons": things, not territory
                r"(?!\s+(?:\w+\s+){0,2}(?:weapons|arms|ammunition|vehicles?|drugs|cattle|livestock|goods|equipment|cash|documents|phones|rifles|guns))"), BATTLES, "Non-state actor overtakes territory", 54),
    (re.compile(r"\b(?:abduct(?:ed|ion|ions|s)?|kidnapp?(?:ed|ing|ings)?|taken hostage|took hostage)\b"), VAC, "Abduction/forced disappearance", 50),
    (re.compile(r"\b(?:rape[ds]?|sexual violence)\b"), VAC, "Sexual violence", 49),
    (re.compile(r"\b(?:massacred?|executed|execution|shot dead|opened fire on (?:civilians|worshippers|residents|villagers|protesters|a crowd)|burn(?:ed|t) (?:down )?(?:the )?(?:village|homes|houses)|looted|stormed the village|attacked (?:the )?(?:village|villagers|civilians|residents|market|worshippers|camp))"), VAC, "Attack", 48),
    (re.compile(r"\b(?:clash(?:es|ed)?|fighting|fought|battles?|battled|firefights?|gunfights?|gun battles?|exchanges? of fire|exchanged fire|skirmish(?:es)?|assault(?:ed|s)?|offensive|repelled|repulsed|ambush(?:ed|es)?|counter-?attacks?|storm(?:ed)?)\b"), BATTLES, "Armed clash", 40),
    (re.compile(r"\b(?:destroyed|destruction of)\b[^.]{0,40}\b(?:tanks?|armou?red|vehicles?|positions?|depots?|artillery|launchers?)\b"), BATTLES, "Armed clash", 39),
    (re.compile(r"\b(?:fled the area|retreated|withdrew from)\b"), BATTLES, "Armed clash", 38),
    (re.compile(r"\b(?:attack(?:s|ed)?|raid(?:s|ed)?|struck|targeted)\b"), BATTLES, "Armed clash", 30),
    (re.compile(r"\b(?:operations? against|military operations?|counter-?terror(?:ism)? operations?|anti-terror(?:ist)? (?:operations?|measures))\b"), BATTLES, "Armed clash", 35),
    (re.compile(r"\b(?:intercepted|air defen[cs]es? (?:had |have |has )?(?:destroyed|downed|shot down|intercepted))\b"), SD, "Disrupted weapons use", 62),
    (re.compile(r"\b(?:arrested|detained|made (?:\w+ )?arrests|carried out (?:\w+ )?arrests|arrest raids?)\b"), SD, "Arrests", 20),
    (re.compile(r"\b(?:rioters?|riots?|rioted|mob)\b"), "Riots", "Violent demonstration", 15),
    (re.compile(r"\b(?:protest(?:ers|ed|s)?|demonstrat(?:ors|ions?|ed))\b"), "Protests", "Peaceful protest", 14),
    # a death with no cause named: a continuation of the last incident, or an attack
    (re.compile(r"\b(?:killed|killing|dead|died|deaths?|death toll|lost their lives|bodies|martyred|slain|murdered|beheaded|hacked to death)\b"), "", "", 5),
]
# One search tells whether a sentence has any trigger at all; most sentences have none.
ANY_TRIGGER = re.compile("|".join(f"(?:{rx.pattern})" for rx, _, _, _ in TRIGGERS))
AIRCRAFT = re.compile(r"\b(?:jets?|planes?|aircraft|helicopters?|su-\d+|f-\d+|mig-?\d*|bombers?)\b")
# "shot down", "downed": an armed clash, or disrupted weapons use when what fell is a drone or missile.
SHOT_DOWN = re.compile(r"\b(?:shot down|downed)\b")
INTERCEPTED = re.compile(r"\b(?:drones?|missiles?|rockets?|uavs?|projectiles?)\b")
GENERIC_BEFORE = re.compile(r"\b(?:the|this|that|its|their|his|her|our|worst|heaviest|recent|renewed|ongoing|further|by|from|earlier|open|continued)\s+(?:\w+\s+)?$")
NEGATED = re.compile(r"\b(?:no|without)\s+(?:\w+\s+)?(?:strikes?|attacks?|casualties|shelling|fighting|clashes|damage)\b[^.]{0,40}\b(?:were|was)\s+(?:reported|recorded)|\bno\s+(?:\w+\s+)?(?:strikes?|attacks?)\s+(?:on|against)\b")
SAME_DAY = re.compile(r"\b(?:on )?the same (?:day|night|morning|evening)\b")
OFFICIAL = re.compile(r"\b(?:ministry|ministère|government|presidency|army|armed forces|defen[cs]e forces|police|"
                      r"command|office|secretariat|spokesperson|administration|"
                      # UN agencies and missions, the Red Cross, rights monitors: their reports are their claims
                      r"UN|United Nations|OCHA|UNHCR|UNICEF|OHCHR|ICRC|Red Cross|Red Crescent|MONUSCO|UNMISS|UNIFIL|"
                      r"MINUSMA|MINUSCA|Human Rights Watch|Amnesty International)\b", re.I)
HABITUAL = re.compile(r"\b(?:for (?:decades|years|months)|almost daily|nearly every day|every day|daily|regularly|routinely|frequently|often|repeatedly|continues? to|continued to|keeps?)\b")
# Nouns that often name the war itself rather than one event ("the fighting", "the shelling").
GENERIC_NOUNS = re.compile(r"(?:fighting|clashes|battles?|offensive|shelling|bombardment|hostilities|violence|attacks?|war)\b")
# A cumulative toll says so: "so far", "since the start", "in total". A bare "have killed" is how
# news tells one attack ("Gunmen have killed 37 civilians in an attack on a village").
AGGREGATE = re.compile(r"\b(?:(?:war|conflict|fighting|insurgency|violence|hostilities),?\s+(?:which\s+|that\s+)?(?:has|have)\s+(?:now\s+|so far\s+|already\s+)?(?:killed|claimed|left)|(?:wave|series|string|spate|spree)\s+of\s+(?:\w+\s+)?(?:attacks|raids|strikes|killings|clashes|violence)|in total|so far|total of|overall|cumulative|since the (?:start|beginning)|altogether|in all|nationwide|countrywide|have been killed since|have died since|death toll (?:from|in) the (?:war|conflict)|since (?:the war|the conflict|the fighting|october 7|7 october)|this year|to date)\b")

# A clause about the place or the people, not the event: ", where ...", ", which ...", " — ".
RELATIVE_ASIDE = re.compile(r",\s+(?:where|which|whose|who)\b|\s+[—–]\s+")
# "the attack hit the main prison in Obeid": the noun is the subject of what it did, not talk about the war
IMPACT_AFTER = re.compile(r"\s+(?:\w+\s+)?(?:hit|struck|targeted|destroyed|damaged|killed|wounded|injured)\b")

REPORTING = re.compile(
    r"\b(said|says|say|reported|reports|report|claimed|claims|announced|stated|confirmed|told|added|alleged|"
    r"accused|accuses|published|released|posted|wrote|tweeted|warned|insisted|estimated|estimates|put the toll|"
    r"described|describes)\b"
)
# "The Ombudsman was informed today that ...": who was told reports it.
INFORMED = re.compile(r"\b(?:was|were|has been|have been|had been)\s+(?:informed|told|notified)\s+(?:\w+\s+)?that\b", re.I)
# A determiner, a possessive or a date before "report" makes it a noun ("an August 11 report").
NOUN_BEFORE = re.compile(r"(?i)\b(?:a|an|the|its|their|his|her|this|that|latest|new|weekly|daily|monthly|annual|"
                         r"\d{1,2}|january|february|march|april|may|june|july|august|september|october|november|december)\s+$")
REPORTED_ON = re.compile(r"\b(?:said|says|reported|announced|stated|claimed|confirmed|told \w+|added)(?:\s+in a statement)?\s*$", re.I)
# Between two places of one list: "X, Y and Z", "X city, Y town and the Z area", "X and Y villages".
LIST_GAP = re.compile(r"(?:\s+(?:city|town|village|camp|district|township|area|neighbou?rhood|province|region|state|county|payam|"
                      r"mountain area|governorate|oblast))?\s*(?:,\s*(?:(?:and|or)\s+(?:the\s+)?)?|\s+(?:and|or)\s+(?:the\s+)?|\s*&\s*)"
                      r"(?:(?:al|el|ad|ar|as|an|ash|at|az|ath)-)?$", re.I)  # "... and Ad-Dhahiriya": the article's prefix
# (", the Red Sea city" after a place is an apposition, not a list: "the" only after "and" / "or")
# Between two days of one list: "on 11 and 12 April", "on Monday, Tuesday and Wednesday".
DAY_LIST_GAP = re.compile(r"\s*(?:,|and|&|,\s*and)\s*(?:on\s+)?", re.I)
# A reference point between two listed places: " near Nablus" in "Huwara near Nablus, El-Bireh near Ramallah".
REFERENCE_IN_GAP = re.compile(r"^\s*,?\s*(?:near|outside|close to|(?:north|south|east|west)(?:-?(?:east|west))?\s+of)\s+(?:the\s+)?"
                              r"(?:city\s+of\s+|town\s+of\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}")
# Between an unlisted place and the place it lies in: "Kishishe in Rutshuru", "Tche, Djugu territory".
ENCLOSED_BY = re.compile(r"(?:\s+(?:village|camp|town|area|locality))?(?:\s*,\s*(?:in\s+)?|\s+(?:in|of)\s+)(?:the\s+)?(?:(?:[\w-]+\s+){0,2}of\s+)?", re.I)
# Date phrases (kinds from app.lang.en.dates) that name an earlier month or year, not a day: the only
# date of a sentence that tells an earlier event ("Last month, ...", "Earlier this month ...", "In March ...").
EARLIER_PERIODS = frozenset({"last_month", "this_month", "month_only", "month_year", "last_year", "year"})
# Between a sentence's places and its event word: the places tell what followed the event.
AFTER_EVENT = re.compile(r"\b(?:after|following|amid|in the wake of|since)\b", re.I)
BETWEEN_BEFORE = re.compile(r"\bbetween\s+(?:the\s+)?(?:(?:towns?|villages?|cities)\s+of\s+)?$", re.I)
# A place named as a reference point, not as where the event was: "near Nablus", "north of Kyiv".
REFERENCE_POINT = re.compile(r"\b(?:near|outside|close to|(?<!the )(?:north|south|east|west)(?:-?(?:east|west))?\s+of|border(?:s|ing)?(?:\s+with)?|"
                             r"from\s+neighbou?ring)\s+(?:the\s+)?(?:\w+\s+)?$", re.I)
SINCE_TOLL = re.compile(r"\b(?:have|has|had)\s+(?:been\s+)?(?:killed|died|lost their lives)\b[^.;]{0,80}\bsince\b")
# "The attack ...", "The strike ...", "It ...": a sentence that goes on about the event just told.
ANAPHORA = re.compile(r"\b(?:the|this|that)\s+(?:\w+\s+)?(?:attacks?|strikes?|air ?strikes?|raids?|assault|ambush|bombings?|shelling|blasts?|explosions?|incident|massacre|killings?|clash(?:es)?)\b", re.I)
# "The UN office on Monday condemned a weekend attack": Monday is when it spoke.
TOLD_AFTER = re.compile(r"\s*(?:\w+ly\s+)?(?:said|says|condemned|reported|announced|stated|confirmed|told|added|warned|denied|claimed|published|released)\b"
                        # "In an August 11 report, HRW said ...": the date of a document, not of the events in it
                        r"|\s*(?:\w+\s+)?(?:report|statement|briefing|update|bulletin|press release|communiqu[ée])\b", re.I)
ACCORDING = re.compile(r"\b(?:according to|cited by|quoted by|citing)\s+([^,.;:“”\"()]+)", re.I)
DENIAL = re.compile(r"\b(denied|denies|deny|rejected|rejects|dismissed|dismisses|refuted|refutes|disputed|disputes|contradicted)\b")
CLAIM_NOUN_DENIAL = re.compile(
    r"\b(?:a|an|the)\s+(?:claim|allegation|report|account|version)s?\s+(?:that\s+)?([^,.;]{2,60}?)\s+(?:denied|rejected|dismissed|disputed|refuted)\b"
)
# "The information spread by the Armenian side claiming that ... is false"
CLAIM_SPREAD = re.compile(r"\b(?:information|claims?|reports?|allegations?|statements?)\s+(?:spread|broadcast|published|made|circulated|put out)\s+by\s+([^,.;]{2,60}?)\s+(?:claiming|that|alleging|saying)\b", re.I)
# "false reports on social media claimed that ...": the claim an official disputes, not a new event
FALSE_CLAIM = re.compile(r"\b(?:false|fake|baseless|unfounded|fabricated)\s+(?:reports?|claims?|allegations?|news|rumou?rs?|information)\b")
FALSE_WORDS = re.compile(r"\b(?:is|are|was|were)\s+(?:false|baseless|untrue|fabricated|groundless|a lie|lies|fake|a provocation|propaganda)\b")
PRONOUNS = {"it", "he", "she", "they", "we", "i", "this", "which", "who"}
# Where one sentence may tell a second event: "; ", ", while ", ", whereas ".
CLAUSE_BREAK = re.compile(r";\s+|,\s+(?:while|whereas|and meanwhile)\s+|\s+while\s+(?=(?:a|an|the|\w+s?)\s)")
# Speakers named by a bare noun ("police said", "military sources").
SPEAKER_NOUNS = frozenset(
    "police military army government ministry officials official sources source authorities residents witnesses "
    "medics doctors activists spokesman spokeswoman spokesperson agency office media reports survivors villagers "
    "locals monitors monitor groups organisations organizations council commander commanders governor mayor "
    "lawmakers journalists reporters correspondents rescuers workers staff volunteers experts analysts observers "
    "statement statements forces troops rebels militants separatists insurgents fighters leaders leader chief".split())
DETERMINERS = frozenset("the a an its their his her our this that these those some several two three local".split())
# "The statement said": a document speaks for whoever issued it.
DOCUMENT_SPEAKER = re.compile(r"(?i)(?:the|this|that|its|a)\s+(?:statement|report|release|press release|communiqu[ée]|update|bulletin)")
CLAUSE_HINT = re.compile(r";|\b(?:while|whereas|meanwhile)\b")  # the cheap test before CLAUSE_BREAK
CLAUSE_STOP = re.compile(r"[,;:“”\"()\[\]—–]|\band\b|\bbut\b|\bwhile\b|\bafter\b|\bwhen\b")

UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
TENS = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ]" + UNITS + r")?|ten|eleven|twelve|thirteen|"
         r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|" + UNITS + r")")
# "two hundred", "one hundred and twenty", "three thousand five hundred"
HUNDREDS = (rf"(?:(?:{UNITS}|a)\s+thousand(?:,?\s+(?:and\s+)?(?:{UNITS}\s+hundred(?:\s+(?:and\s+)?{TENS})?|{TENS}))?"
             rf"|(?:{UNITS}|a)\s+hundred(?:\s+(?:and\s+)?{TENS})?)")
SMALL = (r"a dozen|a hundred|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|"
          r"seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
          r"sixteen|seventeen|eighteen|nineteen")
NUM_PLAIN = r"(?:\d[\d,]*(?:\.\d+)?(?:\s*(?:thousand|million))?|" + SMALL + ")"
NUM = r"(?:\d[\d,]*(?:\.\d+)?(?:\s*(?:thousand|million))?|" + HUNDREDS + "|" + SMALL + ")"
QUAL = r"(?:(?:" + "|".join(QUALIFIERS) + r")\s+)?"
WHO = r"(?:(?:[a-z-]+\s+){0,3}?(?:people|persons|civilians?|soldiers?|servicem[ae]n|service personnel|troops|fighters|militants|combatants|insurgents|rebels|police(?:men|\s+officers)?|officers|members|children|women|men|villagers|residents|worshippers|journalists|aid workers|staff|students|patients|farmers|passengers|members of (?:the )?\w+(?: \w+)?|personnel|guards|gunmen|attackers|jihadists|others|family members|relatives|boys|girls|infants|terrorists|assailants|extremists|guerrillas|militiamen|employees|workers|officials|commanders|detainees|prisoners|migrants|refugees|displaced people|pilgrims|miners|traders|herders|others|[a-z]+(?:ians|ans|is|ese))|(?:of them|of whom))"
KILLED = r"(?:were|was|had been|have been|has been|are|being)?\s*(?:reportedly\s+|confirmed\s+)?(?:killed|dead|died|slain|shot dead|lost their lives|martyred)"
ANY_DEATH = re.compile(r"kill|dead|death|died|slain|lost|losing|lives|bodies|martyr|fatalit")
# One person, named by what they were: "killed a staff sergeant", "a police officer was shot dead".
ONE_PERSON = (r"(?:man|woman|boy|girl|child|baby|infant|teenager|person|civilian|resident|villager|farmer|herder|shepherd|fisherman|"
              r"trader|driver|worker|teacher|student|doctor|nurse|journalist|reporter|photographer|imam|priest|pastor|chief|leader|"
              r"official|officer|policeman|policewoman|gendarme|guard|soldier|serviceman|sergeant|corporal|private|lieutenant|captain|"
              r"colonel|general|commander|fighter|militant|rebel|pilot|volunteer|paramedic|medic|aid worker|peacekeeper)")


def fatal_patterns(num: str) -> list[re.Pattern]:
    # Applied to lower-cased text: no case folding needed.
    return [
        re.compile(rf"\b({QUAL}{num})\s+({WHO})(?:,\s*[^,.]{{1,60}},)?\s+{KILLED}"),
        re.compile(rf"\b(?:killing|killed|kills|leaving|shot dead|shooting dead|gunned down|massacred|executed)\s+({QUAL}{num})(?:\s+({WHO}))?(?:\s+dead)?\b"),
        re.compile(rf"\b({QUAL}{num})\s+(?:[a-z-]+\s+)?(?:deaths|dead|fatalities|killed|bodies)\b"),
        re.compile(rf"\bdeath toll\s+(?:[\w'’-]+\s+){{0,12}}?(?:to|at|of|is|was|stood at|rose to|reached)\s+({QUAL}{num})"),
        re.compile(rf"\b({QUAL}{num})\s+(?:people\s+)?(?:have\s+|had\s+)?(?:been\s+)?killed\b"),
        re.compile(rf"\b(?:losing|lost)\s+({QUAL}{num})\s+({WHO})"),
        re.compile(rf"\b(?:killing|killed|kills|shot dead)\s+(an?)\s+((?:[\w-]+\s+){{0,3}}?{ONE_PERSON})\b"),
        # "a staff sergeant was killed", "one soldier died": one death, told in the passive
        re.compile(rf"\b(an?|one|the)\s+((?:[\w-]+\s+){{0,3}}?{ONE_PERSON})(?:\s+(?:of|from)\s+[^.;]{{1,50}}?)?\s+(?:(?:was|has been|had been)\s+(?:reportedly\s+)?(?:killed|shot dead|slain|murdered|beheaded)|died)\b"),
    ]


# Numbers written out past a hundred ("two hundred", "one hundred and twenty") are rare: the longer
# patterns run only on sentences that have "hundred" or "thousand" in words.
FATAL_PATTERNS = fatal_patterns(NUM_PLAIN)
FATAL_PATTERNS_WORDS = fatal_patterns(NUM)
WORD_HUNDREDS = re.compile(r"\b(?:hundred|thousand)\b")
def split_pattern(num: str) -> re.Pattern:
    # "14 security personnel and one civilian", "two soldiers and a civilian"
    return re.compile(rf"\b({QUAL}{num})\s+({WHO})(?:\s+of\s+[^,.;]{{1,50}}?)?(?:\s*,)?\s+(?:and|plus)\s+({QUAL}{num}|an?)\s+({WHO})\b")


SPLIT, SPLIT_WORDS = split_pattern(NUM_PLAIN), split_pattern(NUM)

FORCE_NOUNS = (r"(?:armed forces|government|armed formations|forces|troops|army|military|soldiers|air force|navy|jets?|warplanes?|aircraft|drones?|"
               r"artillery|battalion|brigade|units?|tanks?|shelling|air attacks?|air[- ]?strikes?|strikes?|attacks?|missiles?|"
               r"rockets?|f-\d+s?|su-\d+s?|mig-?\d*s?|helicopters?|side|positions|bombardment|offensive|fire|gunners|special forces|"
               r"paratroopers|marines|defen[cs]e forces|servicemen|fighters)")
# What one side strikes with: its owner in the event words is the one who struck.
ATTACK_MEANS = re.compile(r"(?:air ?strikes?|air[- ]attacks?|strikes?|missiles?|rockets?|drones?|shelling|artillery|jets?|"
                          r"warplanes?|aircraft|bombardment|fire|helicopters?|f-\d+s?|su-\d+s?|mig-?\d*s?)")
# An attack on a community rather than on an armed side: "attacked the village of", "a raid on the city of".
ON_SETTLEMENT = re.compile(r"\b(?:attack(?:ed|s)?|raid(?:ed|s)?|stormed|overran)\s+(?:on\s+)?(?:the\s+|a\s+)?"
                           r"(?!(?:military|army|police|gendarmerie|rebel|militia|security)\s)(?:[\w-]+\s+)?(?:villages?|towns?|city|camps?|settlements?|markets?|homes?|houses?|communit(?:y|ies))\b"
                           r"|\b(?:bandits|gunmen|assailants)\s+(?:have\s+|had\s+)?(?:attacked|raided|stormed)\b")
# What an armed side is: an attack on one of these is a battle, not violence against civilians.
ARMED_TARGET = re.compile(r"\b(?:army|soldiers?|troops|military|police|policemen|gendarmes?|gendarmerie|security forces|base|"
                          r"checkpoints?|posts?|patrols?|convoys?|positions|barracks|outposts?|detachment|garrison|militia|"
                          r"fighters|rebels|militants|forces)\b")
# The dead of a death told with no other event word: combatants make it a battle.
COMBATANT_DEAD = re.compile(r"\b(?:soldiers?|troops|servicem[ae]n|fighters|militants|insurgents|rebels|jihadists|police(?:men)?|"
                            r"officers|security (?:forces|personnel)|personnel|gunmen|attackers|assailants|terrorists|combatants)\b")
# Civilians among the dead: the other side of a strike or an attack is civilians.
CIVILIAN_DEAD = re.compile(r"\b(?:civilians?|people|residents|children|women|villagers|worshippers|passengers|famil(?:y|ies)|patients)\b"
                           r"[^.;]{0,40}\b(?:killed|dead|died|lost their lives)"
                           r"|\b(?:killing|killed)\s+(?:[\w-]+\s+){0,3}(?:civilians?|people|residents|children|women|villagers|passengers|man|woman|boy|girl)")
POLICE_NOUNS = r"(?:police|police officers|gendarmes|gendarmerie|border guards)"
VICTIMS = re.compile(r"\b(?:civilians?|residents|villagers|people|children|a child|women|worshippers|famil(?:y|ies)|farmers|passengers|displaced|patients|journalists|aid workers|students|a boy|a girl|bystanders|pedestrians|shoppers|herders|refugees|a school|a hospital|a market|homes|houses|a residential|apartment)\b")
GENERIC_ARMED = re.compile(r"\b(?:(?:separatist|jihadist|insurgent|rebel|militant|terrorist|extremist|islamist)\s+(?:forces|groups?|elements|militias?)|"
                           r"gunm[ae]n|militants?|jihadists?|insurgents?|armed men|(?:armed )?raiders|bombers?|unidentified (?:armed )?(?:men|assailants|attackers|gunmen|groups?)|assailants?|attackers?|bandits|rebels|separatists|armed groups?|militiamen|fighters|terrorists|armed formations)\b")
# Fighting between communities: its unnamed side is a communal militia, not an armed group.
COMMUNAL = re.compile(r"\b(?:inter-?communal|communal|inter-?ethnic|ethnic|tribal|clan|cattle[- ](?:related|raid(?:ers|ing)?|rustl\w*)|"
                      r"armed youths?|youths? (?:from|of)|herders?|vigilantes?)\b")
# An armed group spoken of as one already named: "the militants", "the insurgents", "the group".
DEFINITE_ARMED = re.compile(r"\b(?:the|these|those)\s+(?:\w+\s+)?(?:militants|insurgents|rebels|jihadists|fighters|attackers|"
                            r"assailants|separatists|gunmen|terrorists|group|extremists|guerrillas|militiamen)\b")
STATE_GENERIC = re.compile(r"\b(?:army|the military|troops|soldiers|security forces|government forces|regime forces|the armed forces|police(?: officers)?|junta|the regime)\b")
RETREAT = re.compile(r"\s*(?:(?:had|has|have|was|were)\s+)?(?:fled|retreated|withdrew|withdrawn|surrendered|lost|died)\b"
                     r"|\s*(?:was|were|had been|have been|has been)\s+(?:killed|wounded|injured|martyred|destroyed|forced|"
                     r"targeted|attacked|ambushed|hit|struck|shelled|bombed|overrun)\b", re.I)
# Before a side the event was aimed at: "a bomb blast aimed at an army patrol", "an attack on the army".
TARGET_BEFORE = re.compile(r"\b(?:aimed at|targeting|targeted|against|(?:attacks?|assault|ambush|raid|strikes?) on)\s+"
                           r"(?:an?\s+|the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}$")
# A lookahead, so that matches may overlap: in "An Azerbaijani air strike" both "An ..." and
# "Azerbaijani ..." are tried (only demonyms and country names are kept).
DEMONYM_FORCE = re.compile(rf"(?=\b([A-Z][\w’'-]+?)(?:['’]s)?\s+(?:(?:[a-z-]+|[A-Z][\w-]+)\s+)?(?i:({FORCE_NOUNS}))\b)")
LOCATIVE = re.compile(r"\b(?:in|at|on|near|around|outside|into|over|across|towards|toward|hit|struck|targeted|shelled|of|from|inside|within|onto)\s+(?:the\s+)?(?:(?:town|village|city|region|province|district|area|outskirts|suburbs?|centre|center|port|capital|enclave)\s+(?:of\s+)?(?:the\s+)?)?(?:\w+\s+){0,2}$")

# "In a separate attack ...": an event of its own, even where it names no place.
SEPARATE = re.compile(r"\b(?:separate|another|second|third|other|earlier|later|previous)\s+(?:\w+\s+)?"
                      r"(?:attacks?|strikes?|incidents?|raids?|bombings?|explosions?|blasts?|ambush)\b", re.I)
