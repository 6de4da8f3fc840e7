"""Write ``training/data/stories/stories.jsonl``: the merging test set (see ``training/data/stories/README.md``).

    python training/make_stories.py

Every text comes from the hand-written phrasings below (three languages, four styles), filled with each
story's facts; the trigger of each event is marked ``[[...]]`` in the phrasing, so its offsets are exact.
Deterministic: the same file every run.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "stories" / "stories.jsonl"

# country: (uk nominative, uk genitive, ru nominative, ru genitive, en); all feminine in uk and ru
COUNTRIES = {
    "JPN": ("Японія", "Японії", "Япония", "Японии", "Japan"),
    "DEU": ("Німеччина", "Німеччини", "Германия", "Германии", "Germany"),
    "FRA": ("Франція", "Франції", "Франция", "Франции", "France"),
    "POL": ("Польща", "Польщі", "Польша", "Польши", "Poland"),
    "EST": ("Естонія", "Естонії", "Эстония", "Эстонии", "Estonia"),
    "LVA": ("Латвія", "Латвії", "Латвия", "Латвии", "Latvia"),
    "LTU": ("Литва", "Литви", "Литва", "Литвы", "Lithuania"),
    "SWE": ("Швеція", "Швеції", "Швеция", "Швеции", "Sweden"),
    "NOR": ("Норвегія", "Норвегії", "Норвегия", "Норвегии", "Norway"),
    "DNK": ("Данія", "Данії", "Дания", "Дании", "Denmark"),
    "CAN": ("Канада", "Канади", "Канада", "Канады", "Canada"),
    "ITA": ("Італія", "Італії", "Италия", "Италии", "Italy"),
    "ESP": ("Іспанія", "Іспанії", "Испания", "Испании", "Spain"),
    "FIN": ("Фінляндія", "Фінляндії", "Финляндия", "Финляндии", "Finland"),
    "CZE": ("Чехія", "Чехії", "Чехия", "Чехии", "Czechia"),
    "GBR": ("Британія", "Британії", "Британия", "Британии", "Britain"),
    "AUS": ("Австралія", "Австралії", "Австралия", "Австралии", "Australia"),
    "IRL": ("Ірландія", "Ірландії", "Ирландия", "Ирландии", "Ireland"),
    "BEL": ("Бельгія", "Бельгії", "Бельгия", "Бельгии", "Belgium"),
    "AUT": ("Австрія", "Австрії", "Австрия", "Австрии", "Austria"),
    "ROU": ("Румунія", "Румунії", "Румыния", "Румынии", "Romania"),
    "UKR": ("Україна", "України", "Украина", "Украины", "Ukraine"),
}
# city: (uk "у ...", ru "в ...", en)
CITIES = {
    "Tokyo": ("у Токіо", "в Токио", "Tokyo"), "Brussels": ("у Брюсселі", "в Брюсселе", "Brussels"),
    "Warsaw": ("у Варшаві", "в Варшаве", "Warsaw"), "Berlin": ("у Берліні", "в Берлине", "Berlin"),
    "Paris": ("у Парижі", "в Париже", "Paris"), "Rome": ("у Римі", "в Риме", "Rome"),
    "Madrid": ("у Мадриді", "в Мадриде", "Madrid"), "Stockholm": ("у Стокгольмі", "в Стокгольме", "Stockholm"),
    "Oslo": ("в Осло", "в Осло", "Oslo"), "Tallinn": ("у Таллінні", "в Таллине", "Tallinn"),
    "Riga": ("у Ризі", "в Риге", "Riga"), "Vilnius": ("у Вільнюсі", "в Вильнюсе", "Vilnius"),
    "Helsinki": ("у Гельсінкі", "в Хельсинки", "Helsinki"), "Prague": ("у Празі", "в Праге", "Prague"),
    "London": ("у Лондоні", "в Лондоне", "London"), "Vienna": ("у Відні", "в Вене", "Vienna"),
    "Kyiv": ("у Києві", "в Киеве", "Kyiv"), "Ottawa": ("в Оттаві", "в Оттаве", "Ottawa"),
    "Copenhagen": ("у Копенгагені", "в Копенгагене", "Copenhagen"), "Bucharest": ("у Бухаресті", "в Бухаресте", "Bucharest"),
}
# mechanism: (uk genitive after "до", ru dative after "к", en)
MECHS = {
    "PURL": ("ініціативи PURL", "инициативе PURL", "the PURL initiative"),
    "drones": ("коаліції дронів", "коалиции дронов", "the drone coalition"),
    "demining": ("коаліції з розмінування", "коалиции по разминированию", "the demining coalition"),
    "grain": ("програми Grain from Ukraine", "программе Grain from Ukraine", "the Grain from Ukraine programme"),
    "airdef": ("коаліції протиповітряної оборони", "коалиции противовоздушной обороны", "the air defence coalition"),
    "tribunal": ("спецтрибуналу щодо агресії", "спецтрибуналу по агрессии", "the special tribunal on aggression"),
}
# subject of an agreement: (uk, ru, en)
SUBJECTS = {
    "energy": ("про співпрацю в енергетиці", "о сотрудничестве в энергетике", "on energy cooperation"),
    "drones": ("про спільне виробництво дронів", "о совместном производстве дронов", "on joint drone production"),
    "demining": ("про гуманітарне розмінування", "о гуманитарном разминировании", "on humanitarian demining"),
    "rebuild": ("про відбудову інфраструктури", "о восстановлении инфраструктуры", "on rebuilding infrastructure"),
    "cyber": ("про кібербезпеку", "о кибербезопасности", "on cybersecurity"),
    "shells": ("про закупівлю боєприпасів", "о закупке боеприпасов", "on buying ammunition"),
}
MONTHS_UK = "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня".split()
MONTHS_RU = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()
WD_UK = ["у понеділок", "у вівторок", "у середу", "у четвер", "у п'ятницю", "у суботу", "у неділю"]
WD_RU = ["в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу", "в воскресенье"]
WD_EN = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday"]


def amount(x: int, cur: str) -> tuple:
    """(uk, ru, en) for an amount in millions."""
    uk = {"USD": "доларів", "EUR": "євро"}[cur]
    ru = {"USD": "долларов", "EUR": "евро"}[cur]
    sym = {"USD": "$", "EUR": "€"}[cur]
    return f"{x} млн {uk}", f"{x} млн {ru}", f"{sym}{x} million"


# --------------------------------------------------------------------------------------- phrasings
# Fields: A/B (nominative), Ag/Bg (genitive), place (with its preposition), city (English), date (day and
# month), wd (weekday phrase), subj, amt, mech. [[...]] marks the trigger.
HAPPENED = {
    ("Meeting", "flash"): {
        "uk": "Міністри закордонних справ {Ag} та {Bg} [[зустрілися]] {place} {date}.",
        "ru": "Главы МИД {Ag} и {Bg} [[встретились]] {place} {date}.",
        "en": "The foreign ministers of {A} and {B} [[met]] in {city} {wd}.",
    },
    ("Meeting", "report"): {
        "uk": "{A} та {B} провели [[переговори]] {place}\nМіністр закордонних справ {Ag} {wd} [[зустрівся]] зі своїм колегою з {Bg} {place}. За словами дипломатів, сторони обговорили безпекову ситуацію в регіоні та підтримку енергетичної системи. Міністри домовилися підтримувати регулярний контакт.",
        "ru": "{A} и {B} провели [[переговоры]] {place}\nМинистр иностранных дел {Ag} {wd} [[встретился]] с коллегой из {Bg} {place}. По словам дипломатов, стороны обсудили ситуацию с безопасностью и поддержку энергосистемы. Встреча продолжалась около двух часов.",
        "en": "{A} and {B} hold [[talks]] in {city}\nThe foreign minister of {A} [[met]] his counterpart from {B} in {city} {wd}, officials said. The two discussed security in the region and support for the energy grid over about two hours.",
    },
    ("Meeting", "headline"): {
        "uk": "Міністри {Ag} і {Bg} [[провели переговори]] {place}",
        "ru": "Министры {Ag} и {Bg} [[провели переговоры]] {place}",
        "en": "{A}, {B} ministers [[meet]] in {city}",
    },
    ("Agreement", "flash"): {
        "uk": "{A} та {B} [[підписали]] меморандум {subj} {date}.",
        "ru": "{A} и {B} [[подписали]] меморандум {subj} {date}.",
        "en": "{A} and {B} [[signed]] a memorandum {subj} {wd}.",
    },
    ("Agreement", "report"): {
        "uk": "{A} і {B} [[уклали]] меморандум {subj}\nУряди {Ag} та {Bg} {wd} [[підписали]] меморандум {subj}. Документ розрахований на п'ять років і передбачає створення спільної робочої групи.",
        "ru": "{A} и {B} [[заключили]] меморандум {subj}\nПравительства {Ag} и {Bg} {wd} [[подписали]] меморандум {subj}. Документ рассчитан на пять лет и предусматривает создание совместной рабочей группы.",
        "en": "{A} and {B} [[sign]] memorandum {subj}\nThe governments of {A} and {B} [[signed]] a memorandum {subj} {wd}. The five-year document sets up a joint working group.",
    },
    ("Agreement", "headline"): {
        "uk": "{A} та {B} [[підписали]] меморандум {subj}",
        "ru": "{A} и {B} [[подписали]] меморандум {subj}",
        "en": "{A}, {B} [[sign]] memorandum {subj}",
    },
    ("AidPackage", "flash"): {
        "uk": "{A} [[надала]] Україні пакет допомоги на {amt} {date}.",
        "ru": "{A} [[выделила]] Украине пакет помощи на {amt} {date}.",
        "en": "{A} [[announced]] a {amt} aid package for Ukraine {wd}.",
    },
    ("AidPackage", "report"): {
        "uk": "{A} [[виділила]] Україні {amt} допомоги\nУряд {Ag} {wd} [[оголосив]] новий пакет допомоги Україні на {amt}. До пакета увійдуть генератори, трансформатори та обладнання для ремонту мереж.",
        "ru": "{A} [[выделила]] Украине {amt} помощи\nПравительство {Ag} {wd} [[объявило]] о новом пакете помощи Украине на сумму {amt}. В пакет войдут генераторы, трансформаторы и оборудование для ремонта сетей.",
        "en": "{A} [[pledges]] {amt} in aid to Ukraine\nThe government of {A} [[announced]] a new {amt} aid package for Ukraine {wd}. It includes generators, transformers and equipment to repair the grid.",
    },
    ("AidPackage", "headline"): {
        "uk": "{A} [[передасть]] Україні допомогу на {amt}",
        "ru": "{A} [[передаст]] Украине помощь на {amt}",
        "en": "{A} [[gives]] Ukraine {amt} in aid",
    },
    ("MechanismJoining", "flash"): {
        "uk": "{A} [[приєдналася]] до {mech} {date}.",
        "ru": "{A} [[присоединилась]] к {mech} {date}.",
        "en": "{A} [[joined]] {mech} {wd}.",
    },
    ("MechanismJoining", "report"): {
        "uk": "{A} [[приєдналася]] до {mech}\nУряд {Ag} {wd} офіційно [[приєднався]] до {mech}, повідомило міністерство оборони. Раніше про такий намір заявляв прем'єр-міністр.",
        "ru": "{A} [[присоединилась]] к {mech}\nПравительство {Ag} {wd} официально [[присоединилось]] к {mech}, сообщило министерство обороны. Ранее о таком намерении заявлял премьер-министр.",
        "en": "{A} [[joins]] {mech}\nThe government of {A} formally [[joined]] {mech} {wd}, the defence ministry said. The prime minister had announced the intention earlier.",
    },
    ("MechanismJoining", "headline"): {
        "uk": "{A} [[приєдналася]] до {mech}",
        "ru": "{A} [[присоединилась]] к {mech}",
        "en": "{A} [[joins]] {mech}",
    },
}
PLANNED = {  # the follow-up pair: announced a week before, then done
    "Meeting": {"uk": "Міністри закордонних справ {Ag} та {Bg} [[зустрінуться]] {place} наступного тижня, повідомили в МЗС.",
                "ru": "Главы МИД {Ag} и {Bg} [[встретятся]] {place} на следующей неделе, сообщили в министерстве.",
                "en": "The foreign ministers of {A} and {B} will [[meet]] in {city} next week, officials said."},
    "Agreement": {"uk": "{A} та {B} [[підпишуть]] меморандум {subj} наступного тижня.",
                  "ru": "{A} и {B} [[подпишут]] меморандум {subj} на следующей неделе.",
                  "en": "{A} and {B} will [[sign]] a memorandum {subj} next week."},
    "AidPackage": {"uk": "{A} [[надасть]] Україні новий пакет допомоги на {amt} наступного тижня.",
                   "ru": "{A} [[выделит]] Украине новый пакет помощи на {amt} на следующей неделе.",
                   "en": "{A} will [[provide]] Ukraine with a {amt} aid package next week."},
    "MechanismJoining": {"uk": "{A} [[приєднається]] до {mech} наступного тижня, заявив прем'єр-міністр.",
                         "ru": "{A} [[присоединится]] к {mech} на следующей неделе, заявил премьер-министр.",
                         "en": "{A} will [[join]] {mech} next week, the prime minister said."},
}
DENIED = {  # a later denial of the same joining, or (near-miss) of a different one
    "uk": "Міністерство оборони {Ag} спростувало повідомлення про те, що країна [[приєдналася]] до {mech}.",
    "ru": "Министерство обороны {Ag} опровергло сообщения о том, что страна [[присоединилась]] к {mech}.",
    "en": "The defence ministry of {A} denied reports that the country had [[joined]] {mech}.",
}
DENIED_PLAN = {
    "uk": "Міністерство оборони {Ag} спростувало, що країна [[приєднається]] до {mech}.",
    "ru": "Министерство обороны {Ag} опровергло, что страна [[присоединится]] к {mech}.",
    "en": "The defence ministry of {A} denied that the country would [[join]] {mech}.",
}


def fields(lang: str, s: dict, day: dt.date, doc_day: dt.date) -> dict:
    i = {"uk": 0, "ru": 2, "en": 4}[lang]
    a = COUNTRIES[s["a"]]
    b = COUNTRIES[s.get("b", "UKR")]
    f = {"A": a[i], "Ag": a[i + 1] if lang != "en" else a[4], "B": b[i], "Bg": b[i + 1] if lang != "en" else b[4]}
    k = {"uk": 0, "ru": 1, "en": 2}[lang]
    if "city" in s:
        f["place"] = CITIES[s["city"]][k]
        f["city"] = CITIES[s["city"]][2]
    if lang == "uk":
        f["date"] = f"{day.day} {MONTHS_UK[day.month - 1]}"
    elif lang == "ru":
        f["date"] = f"{day.day} {MONTHS_RU[day.month - 1]}"
    # a weekday is read relative to the article's date, so it is only used within three days of the event
    f["wd"] = [WD_UK, WD_RU, WD_EN][k][day.weekday()] if abs((doc_day - day).days) <= 3 else f.get("date", f"on {day:%B} {day.day}")
    if "subj" in s:
        f["subj"] = SUBJECTS[s["subj"]][k]
    if "amt" in s:
        f["amt"] = amount(*s["amt"])[k]
    if "mech" in s:
        f["mech"] = MECHS[s["mech"]][k]
    return f


def render(template: str, f: dict) -> tuple[str, list]:
    """The text without markers, and the triggers' (text, start, end)."""
    filled = template.format(**f)
    text, triggers, pos = "", [], 0
    for m in re.finditer(r"\[\[(.+?)\]\]", filled):
        text += filled[pos:m.start()]
        triggers.append((m[1], len(text), len(text) + len(m[1])))
        text += m[1]
        pos = m.end()
    return text + filled[pos:], triggers


# --------------------------------------------------------------------------------------- the stories
def stories() -> list[dict]:
    """Each story: its facts, its date, its articles as (lang, style, days after the event), its near-misses."""
    rng = random.Random(12)
    out = []
    base = dt.date(2026, 3, 2)

    def add(type_, day, arts, near=None, **facts):
        sid = f"S{len(out) + 1:03d}"
        out.append(dict(id=sid, type=type_, day=day, arts=arts, near=near or [], **facts))
        return sid

    langs = ["uk", "ru", "en"]

    def pick(n, styles=("flash", "report", "headline")):
        ls = rng.sample(langs, 3)
        arts = []
        for j in range(n):
            arts.append((ls[j % 3], styles[j % len(styles)], rng.choice([0, 0, 1])))
        return arts

    cities = list(CITIES)
    partners = [c for c in COUNTRIES if c != "UKR"]
    day = base
    # Meetings: pairs of the same ministers a month apart; and same-day meetings of Ukraine with two others
    for k in range(8):
        x = partners[k % len(partners)]
        c1, c2 = cities[k % len(cities)], cities[(k + 7) % len(cities)]
        s1 = add("Meeting", day, pick(3), a="UKR", b=x, city=c1)
        if k % 2 == 0:
            add("Meeting", day + dt.timedelta(days=30 + k), pick(2), near=[s1], a=x, b="UKR", city=c1)  # again, a month later
        else:
            y = partners[(k + 9) % len(partners)]
            add("Meeting", day, pick(2), near=[s1], a="UKR", b=y, city=c2)  # Ukraine meets another, same day
        day += dt.timedelta(days=9)
    for k in range(4):  # planned next week, then held: the status changes
        x = partners[(k + 3) % len(partners)]
        arts = [(langs[k % 3], "planned", -8)] + pick(2)
        add("Meeting", day, arts, a=x, b="UKR", city=cities[(k + 3) % len(cities)])
        day += dt.timedelta(days=6)
    # Agreements: the same parties sign a second, different memorandum a month later
    subjects = list(SUBJECTS)
    for k in range(8):
        x = partners[(k + 5) % len(partners)]
        s1 = add("Agreement", day, pick(rng.choice([2, 3, 4])), a="UKR", b=x, subj=subjects[k % len(subjects)])
        if k % 3 == 0:
            add("Agreement", day + dt.timedelta(days=33), pick(2), near=[s1], a=x, b="UKR",
                subj=subjects[(k + 1) % len(subjects)])
        day += dt.timedelta(days=7)
    for k in range(3):
        arts = [(langs[(k + 1) % 3], "planned", -8)] + pick(2)
        add("Agreement", day, arts, a="UKR", b=partners[(k + 11) % len(partners)], subj=subjects[(k + 2) % len(subjects)])
        day += dt.timedelta(days=5)
    # Aid: the same donor's two different packages
    for k in range(10):
        x = partners[(k + 2) % len(partners)]
        cur = "EUR" if k % 2 else "USD"
        amt = (50 * (k + 2) + 20, cur)
        s1 = add("AidPackage", day, pick(rng.choice([2, 3, 3, 4])), a=x, amt=amt)
        if k % 2 == 0:
            gap = 3 if k % 4 == 0 else 21  # a second package the same week, or three weeks later
            add("AidPackage", day + dt.timedelta(days=gap), pick(2), near=[s1], a=x, amt=(amt[0] // 2 + 15, cur))
        day += dt.timedelta(days=6)
    for k in range(3):
        arts = [(langs[(k + 2) % 3], "planned", -8)] + pick(2)
        add("AidPackage", day, arts, a=partners[(k + 14) % len(partners)], amt=(35 + 10 * k, "EUR"))
        day += dt.timedelta(days=5)
    # Joining: denials of a different joining, and denials of the same one (the status changes)
    mechs = list(MECHS)
    for k in range(10):
        x = partners[(k + 7) % len(partners)]
        m1, m2 = mechs[k % len(mechs)], mechs[(k + 2) % len(mechs)]
        arts = pick(rng.choice([2, 3]))
        if k % 3 == 2:
            arts.append((langs[(k + 1) % 3], "denied", 2))  # "reports that it joined are false"
        s1 = add("MechanismJoining", day, arts, a=x, mech=m1)
        if k % 3 != 2:
            add("MechanismJoining", day + dt.timedelta(days=1), [(langs[k % 3], "denied_plan", 0),
                                                                 (langs[(k + 2) % 3], "denied_plan", 1)],
                near=[s1], a=x, mech=m2)
        day += dt.timedelta(days=6)
    for k in range(4):
        arts = [(langs[k % 3], "planned", -8)] + pick(2)
        add("MechanismJoining", day, arts, a=partners[(k + 12) % len(partners)], mech=mechs[(k + 3) % len(mechs)])
        day += dt.timedelta(days=5)
    return out


def documents() -> list[dict]:
    docs = []
    for s in stories():
        for n, (lang, style, offset) in enumerate(s["arts"]):
            doc_day = s["day"] + dt.timedelta(days=offset)
            if style == "planned":
                # announced eight days before (or seven, when "next week" would otherwise miss the day)
                if (doc_day + dt.timedelta(days=7)).isocalendar()[1] != s["day"].isocalendar()[1]:
                    doc_day += dt.timedelta(days=1)
                template = PLANNED[s["type"]][lang]
            elif style == "denied":
                template = DENIED[lang]
            elif style == "denied_plan":
                template = DENIED_PLAN[lang]
            else:
                template = HAPPENED[(s["type"], style)][lang]
            text, triggers = render(template, fields(lang, s, s["day"], doc_day))
            events = [{"story": s["id"], "type": s["type"], "trigger": {"text": t, "start": a, "end": b}}
                      for t, a, b in triggers]
            for e in events:
                if s["near"]:
                    e["near_miss"] = s["near"]
            docs.append({"id": f"{s['id']}-{n + 1}", "lang": lang, "date": doc_day.isoformat(), "style": style,
                         "text": text, "events": events})
    return docs


def main() -> int:
    docs = documents()
    OUT.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    n_stories = len({e["story"] for d in docs for e in d["events"]})
    print(f"wrote {OUT}: {len(docs)} documents, {n_stories} stories")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
