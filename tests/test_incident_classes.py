"""The classes of incident error seen on real reports (issue 11), each on short texts of its own.
None of these sentences comes from the real-report corpus; they exercise the rule, not a report."""

import datetime as dt

import pytest

from app.articles import Article
from app.incidents import fatalities
from app.text import fold

PUB = dt.date(2024, 3, 13)  # a Wednesday


def extract(pipe, text, title="", published=PUB):
    return list(pipe.process(Article(id="t", title=title, text=text, published=published)).incidents)


def events(pipe, text, **kw):
    return [i for i in extract(pipe, text, **kw) if i.kind == "event"]


# ---- where ----------------------------------------------------------------------------------------

def test_the_town_not_the_country(pipe):
    (i,) = events(pipe, "Russian drones hit an apartment block in Kharkiv, Ukraine, on Tuesday, killing three people.")
    assert i.location == "Kharkiv" and i.geo_precision == 1


def test_a_dateline_places_the_reporter_not_the_event(pipe):
    (i,) = events(pipe, "NAIROBI, March 12 (Reuters) - Al Shabaab fighters attacked a military base in Bulo Marer "
                        "in Lower Shabelle on Tuesday, killing four soldiers, officials said.")
    assert i.location != "Nairobi" and i.country_code == "SO"


def test_a_village_the_gazetteer_lacks_keeps_its_name(pipe):
    (i,) = events(pipe, "Gunmen killed nine villagers in the village of Tegwenzabri in Zamfara State on Monday, "
                        "police said.")
    assert i.location == "Tegwenzabri" and i.admin1 and i.geo_precision == 3
    assert "not in the gazetteer" in i.notes and i.lat is not None


def test_listed_places_are_one_incident_each(pipe):
    incs = events(pipe, "Junta jets bombed Falam, Hakha and Tedim on Monday.")
    assert sorted(i.location for i in incs) == ["Falam", "Hakha", "Tedim"]


# ---- what is not an event -------------------------------------------------------------------------

def test_captions_and_credits_tell_no_events(pipe):
    text = ("Caption: Smoke rises over Khan Younis after an air strike on April 3, 2016. Photo: Reuters\n\n"
            "Israeli strikes killed five people in Rafah on Tuesday, the health ministry said.")
    incs = events(pipe, text)
    assert [fold(i.location) for i in incs] == ["rafah"] and incs[0].event_date == dt.date(2024, 3, 12)


def test_cumulative_toll_is_an_aggregate_report(pipe):
    incs = extract(pipe, "As of Monday, 31,184 Palestinians had been killed in Gaza since October 7, "
                         "the health ministry said.")
    assert [i.kind for i in incs] == ["aggregate_report"]


def test_background_months_ago_is_not_an_event(pipe):
    assert events(pipe, "In November, militants killed 40 people in Mopti region, officials said.") == []


def test_one_event_told_twice_is_one_incident(pipe):
    text = ("At least 12 people were killed on Tuesday when a missile hit a market in Avdiivka, officials said. "
            "The strike on the market also wounded 30 people.")
    (i,) = events(pipe, text)
    assert i.fatalities == 12 and i.location == "Avdiivka"


def test_disagreeing_tolls_keep_the_lowest_and_the_claims(pipe):
    text = ("Drone strikes on Sunday killed at least 15 civilians in Aguelhok, local officials said. "
            "The separatists said the strikes had killed 21 people.")
    (i,) = events(pipe, text)
    assert i.fatalities == 15 and "21" in i.notes


# ---- who ---------------------------------------------------------------------------------------------

def test_one_sided_attack_on_civilians_is_not_a_battle(pipe):
    (i,) = events(pipe, "Gunmen killed 12 villagers in Banibangou on Monday, officials said.")
    assert i.event_type == "Violence against civilians" and i.actor2.startswith("Civilians")


def test_an_air_strike_on_civilians_is_remote_violence(pipe):
    (i,) = events(pipe, "An Israeli air strike killed seven civilians in Rafah on Tuesday.")
    assert i.event_type == "Explosions/Remote violence" and i.actor1 == "Military Forces of Israel"


# ---- when --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("phrase, day", [
    ("on Tuesday", dt.date(2024, 3, 12)), ("on Wednesday", dt.date(2024, 3, 13)),
    ("last Thursday", dt.date(2024, 3, 7)),
    ("on Sunday night", dt.date(2024, 3, 10)), ("yesterday", dt.date(2024, 3, 12)),
    ("over the weekend", dt.date(2024, 3, 9)), ("two days ago", dt.date(2024, 3, 11)),
])
def test_weekday_and_relative_dates(pipe, phrase, day):
    (i,) = events(pipe, f"Shelling killed three civilians in Kherson {phrase}, officials said.")
    assert i.event_date == day


# ---- how many ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, n", [
    ("Two hundred people were killed in the attack.", 200),
    ("One hundred and twenty people were killed.", 120),
    ("Dozens of people were killed.", None),
    ("At least 12 people were killed.", 12),
    ("Up to 100 people were killed.", 100),
    ("More than 1,000 people have been killed.", 1000),
    ("The attack killed twenty-five soldiers.", 25),
    ("Three hundred and five people died.", 305),
])
def test_number_words_and_figures(sentence, n):
    assert fatalities(sentence)[0] == n


# ---- who says so ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, claimant", [
    ("Russian missiles killed four people in Odesa on Tuesday, Governor Oleh Kiper said.", "Governor Oleh Kiper"),
    ("According to the Sudan Doctors Network, RSF shelling killed 10 people in El Fasher on Tuesday.",
     "the Sudan Doctors Network"),
    ("Twenty-five people died when gunmen attacked Mangu on Tuesday, police said.", "police"),
])
def test_claimants_are_speakers_not_fragments(pipe, text, claimant):
    (i,) = events(pipe, text)
    assert i.claimed_by == claimant


def test_a_report_without_a_date_is_flagged(pipe):
    incs = events(pipe, "Shelling killed three civilians in Kherson on Tuesday.", published=None)
    assert incs and all(i.event_date is None for i in incs)
    assert "no publication date" in incs[0].notes


# ---- explain: the rule behind every decision ---------------------------------------------------------

@pytest.mark.realdata  # the app in a subprocess: the full index
def test_explain_names_the_rule_for_each_class(tmp_path):
    import json
    import subprocess
    import sys

    text = ("Caption: Smoke over Rafah, April 3, 2016. Photo: Reuters\n\n"
            "Israeli strikes killed five people in Rafah on Tuesday, the health ministry said. "
            "The strike on Rafah also wounded 12 people.\n\n"
            "In 2014, a war killed 2,251 Palestinians.")
    src = tmp_path / "a.json"
    src.write_text(json.dumps({"id": "x", "title": "Strikes on Rafah", "text": text, "published": "2024-03-13"}))
    r = subprocess.run([sys.executable, "-m", "app", "explain", str(src), "--json"],
                       capture_output=True, text=True, check=True)
    (art,) = json.loads(r.stdout)
    def decisions(start):
        (s,) = [s for s in art["sentences"] if s["text"].startswith(start)]
        return [(d["verdict"], d["reason"]) for d in s["decisions"]]

    assert decisions("Caption:") == [("dropped", "a caption, credit or page furniture: it tells no event")]
    assert [v for v, _ in decisions("Israeli strikes")] == ["event"]
    assert [v for v, _ in decisions("The strike on Rafah")] == ["event", "merged"]
    ((verdict, reason),) = decisions("In 2014")
    assert verdict == "dropped" and reason.startswith("background")
    assert len([i for i in art["incidents"] if i["kind"] == "event"]) == 1


@pytest.mark.realdata  # the app in a subprocess: the full index
def test_ingest_warns_loudly_about_a_report_without_a_date(tmp_path):
    import subprocess
    import sys

    src = tmp_path / "undated.txt"
    src.write_text("Shelling in Kherson\n\nShelling killed three civilians in Kherson on Tuesday.\n")
    r = subprocess.run([sys.executable, "-m", "app", "ingest", str(src), "--store", str(tmp_path / "s.gpkg")],
                       capture_output=True, text=True)
    first = r.stderr.splitlines()[0]
    assert first.startswith("WARNING: 1 article(s) have no publication date") and "--published" in first


def test_a_governor_reports_on_the_region_they_govern(pipe):
    (i,) = events(pipe, "Pavlo Kyrylenko, the governor of the Donetsk region, said on Tuesday that Russian shelling "
                        "had killed two civilians.")
    assert "donetsk" in fold(i.location).replace("'", "") and i.fatalities == 2


def test_troops_are_the_forces_of_the_state_that_speaks_of_them(pipe):
    (i,) = events(pipe, "The IDF said troops killed ten gunmen in Khan Younis on Tuesday.")
    assert i.actor1 == "Military Forces of Israel"


def test_a_language_without_rules_is_said_in_the_notes(pipe):
    (i,) = list(pipe.process(Article(id="t", text="Shelling killed three civilians in Kherson on Tuesday.",
                                     published=PUB, language="uk")).incidents)
    assert "language 'uk'" in i.notes
    assert "language" not in events(pipe, "Shelling killed three civilians in Kherson on Tuesday.")[0].notes


def test_a_documents_date_is_not_its_events_and_report_is_a_noun(pipe):
    incs = extract(pipe, "In an August 11 report, Human Rights Watch said armed groups in the Tillabery region "
                         "had killed 420 civilians this year.", published=dt.date(2021, 8, 17))
    (i,) = incs
    assert i.kind == "aggregate_report" and i.claimed_by == "Human Rights Watch"


def test_a_following_sentence_continues_the_event_not_the_last_place_listed(pipe):
    incs = events(pipe, "Russian shelling hit Kharkiv and Izium on Monday. Three civilians were killed.")
    by_place = {fold(i.location): i.fatalities for i in incs}
    assert by_place.get("kharkiv") == 3 and by_place.get("izium") is None


def test_a_dropped_far_reading_is_no_unlisted_village(pipe):
    incs = events(pipe, "Israeli strikes in Jabalia and Hamm killed five people on Monday, the Gaza health ministry "
                        "said.")
    assert all(fold(i.location) != "hamm" for i in incs)


def test_a_long_article_is_read_in_time_that_grows_with_its_length(pipe):
    # Every per-article step is linear or bounded: 64 copies of a report take well under 64 times
    # as long as 8 copies do not; quadratic steps made a 1 MB article take minutes.
    import time

    unit = ("Russian drones hit Kharkiv and Izium on Monday, killing three civilians, officials said. "
            "The attack also damaged a school in Kupiansk district.\n\n")
    times = []
    for n in (200, 1600):
        art = Article(id="long", text=unit * n, published=PUB)
        start = time.perf_counter()
        pipe.process(art)
        times.append(time.perf_counter() - start)
    assert times[1] < 8 * times[0] * 2.5, times  # 8x the text: at most 2.5x linear, far from 64x


def test_an_unplaced_retelling_is_a_claim_on_the_placed_event_unless_separate(pipe):
    text = ("Drone strikes on Sunday killed at least 15 civilians in Aguelhok, local officials said. "
            "A local NGO official said at least 20 civilians were killed on Sunday. "
            "In a separate attack on Sunday, seven people were killed when a bus hit a landmine.")
    incs = events(pipe, text)
    placed = [i for i in incs if i.location]
    assert len(placed) == 1 and placed[0].fatalities == 15 and "20 killed" in placed[0].notes
    assert [i.fatalities for i in incs if not i.location] == [7]


def test_two_events_in_two_clauses_are_two_incidents(pipe):
    incs = events(pipe, "A local monitor said two Russian Su-24s hit Idlib city on Sunday, while a Russian Su-34 "
                        "struck the market in Jisr al-Shughour.", published=dt.date(2023, 6, 25))
    assert len(incs) == 2 and all(i.actor1 == "Military Forces of Russia" for i in incs)
    assert all(i.event_date == dt.date(2023, 6, 25) and i.claimed_by == "A local monitor" for i in incs)


def test_the_owner_of_the_weapon_in_the_event_words_struck(pipe):
    (i,) = events(pipe, "At least 60 Palestinians were killed on Tuesday when an Israeli strike hit a residential "
                        "building in Beit Lahiya.", published=dt.date(2024, 10, 29))
    assert i.actor1 == "Military Forces of Israel" and i.actor2.startswith("Civilians")


@pytest.mark.parametrize("text", [
    "Bandits attacked Wonaka, Ajja and Mada villages in Zamfara on Monday, police said.",
    "At least 10 people have died in a night-time raid on the city of Beni on Monday.",
])
def test_a_one_sided_attack_on_a_community_is_violence_against_civilians(pipe, text):
    incs = events(pipe, text)
    assert incs and all(i.event_type == "Violence against civilians" and i.actor2.startswith("Civilians") for i in incs)


def test_an_attack_on_soldiers_stays_a_battle(pipe):
    (i,) = events(pipe, "Militants attacked an army base in Bourem on Monday, killing four soldiers.")
    assert i.event_type == "Battles"


def test_the_next_sentence_names_the_village_of_the_event(pipe):
    text = ("An air attack on a village in Sagaing Region on Tuesday left at least 10 civilians dead, local sources "
            "said. "
            "The strike on Nyaung Kone, a village lying southwest of the town of Pale, came at about 3pm.")
    (i,) = events(pipe, text)
    assert i.location == "Nyaung Kone" and i.fatalities == 10 and i.event_date == dt.date(2024, 3, 12)


@pytest.mark.parametrize("text, claimant", [
    ("Meanwhile, the governor said Russian shelling killed two civilians in Kherson on Tuesday.", "the governor"),
    ("The IDF said troops raided Tulkarem on Tuesday. The statement said two gunmen were killed in Tulkarem on "
     "Tuesday.",
     "The IDF"),
])
def test_claimants_are_who_speaks_not_an_adverb_or_a_document(pipe, text, claimant):
    incs = events(pipe, text)
    assert incs and incs[-1].claimed_by == claimant


def test_a_fragment_is_no_claimant(pipe):
    (i,) = events(pipe, "Listeners living near the (airport) neighbourhood in the east of the city said shells "
                        "hit Nyala on Tuesday.")
    assert i.claimed_by == ""


@pytest.mark.parametrize("phrase", ["on 1 January 9999", "on 31 December 2099", "in 0001"])
def test_impossible_event_dates_are_not_stored(pipe, phrase):
    (i,) = events(pipe, f"Shelling killed two civilians in Kharkiv {phrase}.", published=dt.date(2020, 10, 1))
    assert i.event_date is None and "not an event date" in i.notes


def test_an_apposition_is_not_a_list_of_places(pipe):
    incs = events(pipe, "The group launched a drone assault on Port Sudan, the Red Sea city, on Tuesday.")
    assert [fold(i.location) for i in incs] == ["port sudan"]


# ---- several days, several places in one sentence ----------------------------------------------------

def test_a_list_of_days_gives_one_date_each():
    from app.dates import find_dates
    got = [(r.phrase, r.date) for r in find_dates("Clashes were reported on 4 and 6 March, and on March 9 and "
                                                  "10.", PUB)]
    assert got == [("4", dt.date(2024, 3, 4)), ("6 March", dt.date(2024, 3, 6)),
                   ("March 9", dt.date(2024, 3, 9)), ("10", dt.date(2024, 3, 10))]
    # a range is not a list of days
    assert [r.date for r in find_dates("between 4 and 6 March", PUB)] == [dt.date(2024, 3, 6)]


def test_each_place_goes_with_the_days_told_before_it(pipe):
    incs = events(pipe, "Militants attacked the villages on 2 and 4 March in Kalehe; on 7 March in Uvira "
                        "and on 9 March in Fizi.")
    assert sorted((str(i.event_date), i.location) for i in incs) == [
        ("2024-03-02", "Kalehe"), ("2024-03-04", "Kalehe"), ("2024-03-07", "Uvira"), ("2024-03-09", "Fizi")]


def test_days_before_a_list_of_places_go_with_every_place(pipe):
    incs = events(pipe, "On 10 and 11 March, the RSF shelled the Kalma and Otash displacement camps and Nyala town.")
    got = {(str(i.event_date), i.location) for i in incs}
    assert {d for d, _ in got} == {"2024-03-10", "2024-03-11"}
    assert {p for _, p in got} == {"Kalma", "Otash", "Nyala"} and len(got) == 6


def test_a_reference_point_is_not_another_place_of_the_event(pipe):
    incs = events(pipe, "Soldiers clashed with militants on Monday and Tuesday in Kidal, near Gao.")
    assert sorted(str(i.event_date) for i in incs) == ["2024-03-11", "2024-03-12"]
    assert {i.location for i in incs} == {"Kidal"}


def test_a_long_list_after_an_event_word_keeps_every_village(pipe):
    incs = events(pipe, "Bandits attacked Kwanar Dutsi, Ajja, Gidan Kaso and Yar Tasha in Maru on Monday.")
    assert {"Ajja", "Kwanar Dutsi", "Gidan Kaso", "Yar Tasha"} <= {i.location for i in incs}


# ---- one death, named by who it was ------------------------------------------------------------------

@pytest.mark.parametrize("sentence, n", [
    ("Gunmen killed a staff sergeant at a checkpoint on Sunday.", 1),
    ("A police officer was shot dead in the market.", 1),
    ("One soldier died in the ambush.", 1),
    ("A soldier was wounded in the ambush.", None),
    ("A major attack killed 5 people.", 5),
])
def test_one_person_killed(sentence, n):
    assert fatalities(sentence)[0] == n


# ---- what makes an event, and what does not make it an aggregate -------------------------------------

def test_arrests_made_are_an_event(pipe):
    (i,) = events(pipe, "Police said they had made arrests in Kano on Tuesday.")
    assert i.event_type == "Strategic developments" and i.sub_event_type == "Arrests"


def test_a_period_in_a_clause_about_the_place_does_not_make_the_event_a_toll(pipe):
    (i,) = events(pipe, "The attack took place on Monday in Diffa, where militants have killed hundreds of people "
                        "this year.")
    assert i.kind == "event" and str(i.event_date) == "2024-03-11"


def test_the_attack_that_hit_a_place_is_an_event(pipe):
    (i,) = events(pipe, "Officials said the attack hit the central prison in Kassala.")
    assert i.location == "Kassala"


def test_listed_places_each_with_a_reference_point(pipe):
    incs = events(pipe, "Israeli forces made arrests in Tubas near Jenin, Beita near Nablus and Ad-Dhahiriya near "
                        "Hebron on Tuesday.")
    assert len(incs) == 3 and not {"Jenin", "Nablus", "Hebron"} & {i.location for i in incs}


def test_headlines_of_related_stories_tell_no_events(pipe):
    text = ("Rebels attacked a police post in Kidal on Tuesday, killing two officers, officials said.\n\n"
            "Related Articles\n"
            "Suicide bomber kills 9 in Mogadishu market\n"
            "Drone strike hits convoy near Kandahar\n")
    incs = events(pipe, text)
    assert [i.location for i in incs] == ["Kidal"]


@pytest.mark.parametrize("sentence, n", [
    ("He said 14 police officers and one civilian were killed.", 15),
    ("Two soldiers and a civilian were killed in the blast.", 3),
    ("Fourteen members of the security forces were killed.", 14),
])
def test_tolls_with_one_person_and_members_of(sentence, n):
    assert fatalities(sentence)[0] == n


def test_an_unplaced_sentence_about_the_clash_is_the_clash_told_before(pipe):
    text = ("Militants stormed a police post in Kidal, Mali, on Monday, killing four officers. "
            "A resident also confirmed the clash, saying the gunfight began late on Sunday night.")
    incs = events(pipe, text)
    assert len(incs) == 1 and incs[0].location == "Kidal"


def test_an_event_told_with_only_an_earlier_month_is_background(pipe):
    text = ("Gunmen killed five villagers in Dogo on Tuesday, police said. "
            "Last month, the same group overran Kadoka, killing more than 40 people.")
    incs = events(pipe, text)
    assert [i.location for i in incs] == ["Dogo"]


def test_places_of_what_followed_an_event_are_not_one_incident_each(pipe):
    incs = events(pipe, "Tension is running high in Hindi, Mokowe and Witu after a suspected Al-Shabaab attack on "
                        "Sunday.")
    assert len(incs) <= 1


def test_their_offensive_is_talk_not_an_event(pipe):
    assert events(pipe, "The prime minister urged residents to help government troops in their offensive in "
                        "Beledweyne.") == []


# ---- who acted, when the text names nobody or names the dead --------------------------------------

def test_soldiers_who_died_are_not_who_attacked(pipe):
    (i,) = events(pipe, "Two Malian soldiers were killed when armed separatist forces attacked a gendarmerie post in "
                        "Kidal, Mali, on Tuesday.")
    assert i.actor1.startswith("Unidentified Armed Group") and "Mali" in i.actor2


@pytest.mark.parametrize("text, actor1", [
    ("Fierce clashes erupted on Saturday in the city of Zawiya, Libya, killing four "
     "people.", "Unidentified Armed Group (Libya)"),
    ("Intercommunal clashes in Bria, Central African Republic, on Monday took three "
     "lives.", "Unidentified Communal Militia (Central African Republic)"),
])
def test_nobody_named_is_an_unidentified_actor(pipe, text, actor1):
    (i,) = events(pipe, text)
    assert i.actor1 == actor1


def test_a_claim_called_false_disputes_the_incident_told_before(pipe):
    text = ("Two soldiers were killed when gunmen attacked a police post in Wum, Cameroon, on Sunday, the army said. "
            "The army spokesman said false reports on social media claimed that gunmen had killed nine soldiers in "
            "Wum.")
    (i,) = events(pipe, text)
    assert i.fatalities == 2 and i.disputed_by


@pytest.mark.parametrize("low, territory", [
    ("the rebels seized their ammunition and two vehicles", False),
    ("police seized weapons in the raid", False),
    ("the rebels seized the town of rubaya", True),
])
def test_seizing_weapons_is_not_taking_territory(low, territory):
    from app.incidents import trigger_of
    got = trigger_of(low)
    assert (got is not None and got[1] == "Non-state actor overtakes territory") == territory


# ---- the most specific place the report gives the event --------------------------------------------

def test_a_later_sentence_that_names_the_town_places_the_lead(pipe):
    text = ("At least four soldiers were killed on Tuesday in an attack blamed on jihadists in the north of Burkina "
            "Faso, "
            "security sources said.\n\nThe attack targeted the army detachment in Djibo, a security source said.")
    (i,) = events(pipe, text)
    assert i.location == "Djibo" and i.fatalities == 4


def test_a_place_put_inside_the_next_one_is_the_place(pipe):
    (i,) = events(pipe, "Gunmen attacked Wonakuri, in the Kaura district of Zamfara, Nigeria, on Friday.")
    assert i.location == "Wonakuri"


def test_a_reference_point_is_not_the_place_when_another_is_named(pipe):
    (i,) = events(pipe, "A clash on Monday in Camarines Sur province, south of Manila, left six people dead.")
    assert i.location != "Manila"


def test_a_disputed_area_gives_no_country_of_none(pipe):
    (i,) = events(pipe, "Three militants were killed on Monday in an encounter with Indian security forces in south "
                        "Kashmir.")
    assert "None" not in i.actor1 and "None" not in i.actor2


def test_last_and_a_month_is_an_earlier_month():
    from app.dates import find_dates
    (r,) = find_dates("The Houthis seized the capital last September.", dt.date(2015, 8, 24))
    assert r.date is None and r.date_start == dt.date(2014, 9, 1) and r.is_background


@pytest.mark.parametrize("before, reference", [
    ("patrolling in the north of ", False), ("a camp south of ", True), ("near ", True),
    ("close to the border with ", True), ("migrants from neighbouring ", True), ("in ", False),
])
def test_reference_points_and_parts_of_a_place(before, reference):
    from app.lang.en.incidents import REFERENCE_POINT
    assert bool(REFERENCE_POINT.search(before)) == reference


def test_a_town_between_two_places_is_a_place_of_the_event(pipe):
    (i,) = events(pipe, "Terrorists struck a military detachment between Markoye and Tokabangou on Tuesday, killing "
                        "four soldiers.")
    assert i.location in ("Markoye", "Tokabangou")


@pytest.mark.parametrize("text", [
    "The civil war, which has killed more than 4,300 people, shows no sign of ending in Taiz.",
    "The fighting has killed more than 200 fighters and at least 37 civilians in Lebanon.",
    "At least 29 killed in a wave of armed attacks in Bambari.",
])
def test_a_wars_toll_and_a_wave_of_attacks_are_aggregates(pipe, text):
    assert events(pipe, text) == []


def test_the_same_toll_told_twice_close_together_is_one_event(pipe):
    text = ("Unidentified young men shot dead 15 people in Pibor, South Sudan, on Tuesday, an official said. "
            "The commissioner and his team went to Gumuruk village, and on the way back he was ambushed and "
            "15 people were killed.")
    assert len(events(pipe, text)) == 1


@pytest.mark.parametrize("text", [
    "No bodies were found in Kidal on Monday, just two vehicles and shell casings.",
    "For decades the FARC fought the government in Bogota.",
])
def test_shell_casings_and_decades_of_war_are_no_events(pipe, text):
    assert events(pipe, text) == []


def test_a_city_named_as_where_a_body_is_based_is_not_the_place(pipe):
    (i,) = events(pipe, "Clashes in Zawiya, Libya, on Saturday killed one person, a spokesman for the Tripoli-based "
                        "ambulance service said.")
    assert i.location == "Zawiya" or i.location.startswith("Az Z")


# ---- event types: who was hit decides between a battle and violence against civilians -------------

@pytest.mark.parametrize("text, etype", [
    ("Gunmen staged attacks on Friday on Juer and Keng in Warrap, South Sudan.", "Violence against civilians"),
    ("Gunmen attacked an army checkpoint in Warrap, South Sudan, on Friday.", "Battles"),
    ("Members of the CPC attacked a military camp on the edge of Bakouma, Central African Republic, on "
     "Thursday.", "Battles"),
    ("The customary chief of Mora, Cameroon, was slain overnight into Friday.", "Violence against civilians"),
    ("Four soldiers died in Mora, Cameroon, on Friday.", "Battles"),
    ("A bomb blast aimed at an army patrol killed two soldiers in Kirkuk, Iraq, on "
     "Friday.", "Explosions/Remote violence"),
])
def test_who_was_hit_decides_the_type(pipe, text, etype):
    (i,) = events(pipe, text)
    assert i.event_type == etype


# ---- who claims it ------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, speaker", [
    ("Meanwhile, Pavlo Kyrylenko, governor of the Donetsk region, said on Wednesday that shelling killed "
     "two.", "Pavlo Kyrylenko"),
    ("In a separate development, Dadullah Qaneh, a council member in Farah, says air strikes killed "
     "15.", "Dadullah Qaneh"),
    ("The Human Rights Defender of Artsakh was informed today that three civilians were "
     "killed.", "The Human Rights Defender of Artsakh"),
    ("Government prosecutor Venson François described it as a massacre.", "Government prosecutor Venson François"),
])
def test_the_speaker_past_a_lead_an_apposition_or_a_passive(sentence, speaker):
    from app.incident_claims import claimant_of
    assert claimant_of(sentence)[1] == speaker


def test_a_lead_with_no_source_is_claimed_by_the_speaker_of_the_next_sentence(pipe):
    text = ("Boko Haram fighters killed seven people in Kolofata, Cameroon, on Monday. "
            "The attackers came at night and burned houses, the regional governor said.")
    (i,) = events(pipe, text)
    assert i.claimed_by == "the regional governor"


def test_a_un_agencys_report_is_its_claim(pipe):
    incs = list(pipe.process(Article(id="t", title="", publisher="UN OCHA", published=PUB,
                                     text="Armed men attacked Djugu, DR Congo, on Monday, killing 12 "
                                          "civilians.")).incidents)
    assert incs and incs[0].claimed_by == "UN OCHA"


def test_the_day_someone_spoke_is_not_the_events_day(pipe):
    text = ("Police said on Tuesday that 15 people were killed in Gusau, Nigeria. "
            "According to the police, bandits attacked Gusau on Monday.")
    incs = events(pipe, text)
    assert [str(i.event_date) for i in incs] == ["2024-03-11"]


# ---- actors: the side an event was aimed at; the only group a report names ------------------------

def test_the_side_an_event_was_aimed_at_is_not_who_acted(pipe):
    (i,) = events(pipe, "The military detachment of Koutougou in Soum province was targeted in an attack on Monday, "
                        "the army said, killing 12 soldiers in Djibo, Burkina Faso.")
    assert not i.actor1.startswith("Military Forces") and i.actor2.startswith("Military Forces of Burkina Faso")


def test_the_militants_are_the_only_group_the_report_names(pipe):
    text = ("Taliban raid leaves 14 security forces dead in Takhar\n\n"
            "Police said the militants launched a coordinated assault on the home of the district police chief "
            "in Taloqan, Afghanistan, late on Sunday night, killing 14 security personnel.")
    (i,) = events(pipe, text, title="Taliban raid leaves 14 security forces dead in Takhar")
    assert i.actor1 == "Taliban"


def test_two_named_groups_leave_the_militants_unidentified(pipe):
    text = ("Police said the militants attacked a checkpoint in Taloqan, Afghanistan, on Sunday, killing two officers. "
            "Both the Taliban and ISKP are active in the province.")
    incs = events(pipe, text)
    assert incs and incs[0].actor1.startswith("Unidentified Armed Group")


@pytest.mark.parametrize("text, day", [
    ("Somali police said Tuesday that 32 people were killed the previous evening in an attack on a hotel in "
     "Mogadishu.", "2024-03-11"),
    ("The military said on Wednesday (March 13) that two soldiers were killed in a clash in Malaybalay, Philippines. "
     "The clash broke out on Tuesday night.", "2024-03-12"),
])
def test_the_previous_evening_and_a_bracketed_day_of_speaking(pipe, text, day):
    (i,) = events(pipe, text)
    assert str(i.event_date) == day  # the day before the statement; the report's day when only the statement's is told


def test_the_line_above_a_photo_credit_is_a_caption(pipe):
    text = ("Smoke rises over Mpeketoni after militants attacked the town on March 10, 2024, killing six people.\n"
            "Photo credit: Jane Doe | Example Media Group\n\n"
            "Militants attacked Witu, Kenya, on Tuesday, killing two people, police said.")
    incs = events(pipe, text)
    assert [i.location for i in incs] == ["Witu"]


def test_an_earlier_months_events_compared_with_mondays_attack_are_background(pipe):
    text = ("Gunmen killed 37 civilians in an attack on a village in Tahoua, Niger, on Monday. "
            "In January, attackers killed 137 people in raids in Tillaberi, like Monday's attack.")
    incs = events(pipe, text)
    assert [i.fatalities for i in incs] == [37]


# ---- found in review -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, days", [
    ("On March 3 and 4 people were killed in Kherson.", [dt.date(2024, 3, 3)]),  # one day and a toll
    ("Clashes on March 3 and 4 in Kherson.", [dt.date(2024, 3, 3), dt.date(2024, 3, 4)]),
    ("32 people were killed the previous evening.", [dt.date(2024, 3, 12)]),
    ("Turnout rose the day before the election.", []),
])
def test_day_lists_and_the_day_before(text, days):
    from app.dates import find_dates
    assert [r.date for r in find_dates(text, PUB)] == days


def test_a_long_run_of_spaces_is_read_in_linear_time():
    import time

    from app.dates import find_dates
    t = time.perf_counter()
    find_dates("May 1" + " " * 20000, PUB)
    assert time.perf_counter() - t < 0.5


def test_the_speaker_span_is_found_whatever_the_spacing():
    from app.incident_claims import claimant_of
    assert claimant_of("The  army said troops had killed five.") == ((0, 14), "The army")
    span, who = claimant_of("Meanwhile, the Health\nMinistry said five were killed.")
    assert who == "the Health Ministry" and span[0] == 11


def test_more_on_monday_is_prose_not_a_related_stories_heading():
    from app.furniture import furniture_spans
    assert furniture_spans("More on Monday, militants attacked Bama and killed 12 people, the army said.\n") == []


def test_positions_hold_after_a_letter_that_lowers_to_two(pipe):
    text = ("Turkish drones struck Qamishli, Syria, on Tuesday, killing two civilians, Kurdish officials said. "
            "In İzmir, the governor has rejected the allegation.")
    (i,) = events(pipe, text)
    assert i.disputed_by == "the governor"
