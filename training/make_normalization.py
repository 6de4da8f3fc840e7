"""Writes training/data/values/normalization.jsonl: argument mentions with gold normalised values, written by hand.

Each row: id, lang, role, text, date (article date), status, gold (the value's fields, or null).
The phrases below are the source; run ``python training/make_normalization.py`` after editing them.
"""
from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "values" / "normalization.jsonl"
DATE = "2026-04-08"
rows = []


def add(lang, role, text, gold, status="happened", date=DATE):
    rows.append({"id": f"n{len(rows) + 1:04d}", "lang": lang, "role": role, "text": text, "date": date,
                 "status": status, "gold": gold})


def actor(countries=(), org=None, role=None, name=None):
    return {"countries": list(countries), "organisation": org, "role": role, "name": name}


# ---------------------------------------------------------------- actors: countries in hard inflections
# (code, uk genitive, uk instrumental, ru genitive, ru instrumental, en)
COUNTRIES = [
    ("POL", "Польщі", "Польщею", "Польши", "Польшей", "Poland"),
    ("EST", "Естонії", "Естонією", "Эстонии", "Эстонией", "Estonia"),
    ("LVA", "Латвії", "Латвією", "Латвии", "Латвией", "Latvia"),
    ("LTU", "Литви", "Литвою", "Литвы", "Литвой", "Lithuania"),
    ("JPN", "Японії", "Японією", "Японии", "Японией", "Japan"),
    ("DEU", "Німеччини", "Німеччиною", "Германии", "Германией", "Germany"),
    ("FRA", "Франції", "Францією", "Франции", "Францией", "France"),
    ("GBR", "Великої Британії", "Великою Британією", "Великобритании", "Великобританией", "the United Kingdom"),
    ("USA", "Сполучених Штатів", "Сполученими Штатами", "Соединенных Штатов", "Соединенными Штатами", "the United States"),
    ("FIN", "Фінляндії", "Фінляндією", "Финляндии", "Финляндией", "Finland"),
    ("SWE", "Швеції", "Швецією", "Швеции", "Швецией", "Sweden"),
    ("NOR", "Норвегії", "Норвегією", "Норвегии", "Норвегией", "Norway"),
    ("DNK", "Данії", "Данією", "Дании", "Данией", "Denmark"),
    ("NLD", "Нідерландів", "Нідерландами", "Нидерландов", "Нидерландами", "the Netherlands"),
    ("CZE", "Чехії", "Чехією", "Чехии", "Чехией", "Czechia"),
    ("KOR", "Південної Кореї", "Південною Кореєю", "Южной Кореи", "Южной Кореей", "South Korea"),
    ("CAN", "Канади", "Канадою", "Канады", "Канадой", "Canada"),
    ("ITA", "Італії", "Італією", "Италии", "Италией", "Italy"),
    ("ESP", "Іспанії", "Іспанією", "Испании", "Испанией", "Spain"),
    ("TUR", "Туреччини", "Туреччиною", "Турции", "Турцией", "Türkiye"),
    ("MDA", "Молдови", "Молдовою", "Молдавии", "Молдавией", "Moldova"),
    ("ROU", "Румунії", "Румунією", "Румынии", "Румынией", "Romania"),
    ("AUS", "Австралії", "Австралією", "Австралии", "Австралией", "Australia"),
    ("CHN", "Китаю", "Китаєм", "Китая", "Китаем", "China"),
    ("IND", "Індії", "Індією", "Индии", "Индией", "India"),
    ("UKR", "України", "Україною", "Украины", "Украиной", "Ukraine"),
    ("BEL", "Бельгії", "Бельгією", "Бельгии", "Бельгией", "Belgium"),
    ("HUN", "Угорщини", "Угорщиною", "Венгрии", "Венгрией", "Hungary"),
    ("SVK", "Словаччини", "Словаччиною", "Словакии", "Словакией", "Slovakia"),
    ("GEO", "Грузії", "Грузією", "Грузии", "Грузией", "Georgia"),
]
for code, ug, ui, rg, ri, en in COUNTRIES:
    add("uk", "participant", f"з {ui}", actor([code]))
    add("uk", "recipient", ug, actor([code]))
    add("ru", "party", f"с {ri}", actor([code]))
    add("ru", "donor", rg, actor([code]))
    add("en", "participant", en, actor([code]))

    add("uk", "participant", f"міністр закордонних справ {ug}", actor([code], None, "foreign_minister"))
    add("ru", "participant", f"министр обороны {rg}", actor([code], None, "defence_minister"))
    add("en", "participant", f"the government of {en.replace('the ', '')}", actor([code], None, "government"))

# titles with names, across languages
TITLED = [
    ("uk", "міністр оборони Естонії Ханно Певкур", actor(["EST"], None, "defence_minister", "Ханно Певкур")),
    ("uk", "міністром закордонних справ Японії Такеші Іваєю", actor(["JPN"], None, "foreign_minister", "Такеші Іваєю")),
    ("uk", "прем'єр-міністром Польщі Дональдом Туском", actor(["POL"], None, "head_of_government", "Дональдом Туском")),
    ("uk", "президентом Франції Емманюелем Макроном", actor(["FRA"], None, "head_of_state", "Емманюелем Макроном")),
    ("uk", "канцлер Німеччини Фрідріх Мерц", actor(["DEU"], None, "head_of_government", "Фрідріх Мерц")),
    ("uk", "генеральним секретарем НАТО Марком Рютте", actor([], "NATO", "secretary_general", "Марком Рютте")),
    ("uk", "генсек ООН Антоніу Гутерріш", actor([], "UN", "secretary_general", "Антоніу Гутерріш")),
    ("uk", "головою МАГАТЕ Рафаелем Гроссі", actor([], "IAEA", "head_of_organisation", "Рафаелем Гроссі")),
    ("uk", "послом Японії в Україні Масаші Накаґоме", actor(["JPN"], None, "ambassador", "Масаші Накаґоме")),
    ("uk", "міністра оборони Литви", actor(["LTU"], None, "defence_minister")),
    ("uk", "главою МЗС Фінляндії Еліною Валтонен", actor(["FIN"], None, "foreign_minister", "Еліною Валтонен")),
    ("uk", "прем'єр-міністеркою Данії Метте Фредеріксен", actor(["DNK"], None, "head_of_government", "Метте Фредеріксен")),
    ("uk", "польським колегою Владиславом Косіняком-Камишем", actor(["POL"], None, None, "Владиславом Косіняком-Камишем")),
    ("uk", "японським колегою Ґеном Накатані", actor(["JPN"], None, None, "Ґеном Накатані")),
    ("uk", "латвійською колегою", actor(["LVA"])),
    ("uk", "естонський міністр", actor(["EST"], None, "minister")),
    ("uk", "шведська делегація", actor(["SWE"], None, "delegation")),
    ("uk", "українська сторона", actor(["UKR"])),
    ("uk", "американська адміністрація", actor(["USA"], None, "government")),
    ("uk", "уряд Норвегії", actor(["NOR"], None, "government")),
    ("uk", "Міністерство оборони Нідерландів", actor(["NLD"], None, "agency")),
    ("uk", "Верховна Рада", actor(["UKR"], None, "parliament")),
    ("uk", "парламент Литви", actor(["LTU"], None, "parliament")),
    ("uk", "командувач Об'єднаних сил Швеції", actor(["SWE"], None, "military_commander")),
    ("uk", "посол України в Японії", actor(["UKR"], None, "ambassador")),
    ("uk", "постійний представник Польщі при НАТО", actor(["POL"], None, "ambassador")),
    ("uk", "президентка Єврокомісії Урсула фон дер Ляєн", actor([], "EU", "head_of_organisation", "Урсула фон дер Ляєн")),
    ("uk", "міністри оборони Естонії та Латвії", actor(["EST", "LVA"], None, "defence_minister")),
    ("uk", "Україна та Японія", actor(["UKR", "JPN"])),
    ("uk", "Польща і Литва", actor(["POL", "LTU"])),
    ("ru", "министр обороны Эстонии Ханно Певкур", actor(["EST"], None, "defence_minister", "Ханно Певкур")),
    ("ru", "главой МИД Японии", actor(["JPN"], None, "foreign_minister")),
    ("ru", "премьер-министром Польши Дональдом Туском", actor(["POL"], None, "head_of_government", "Дональдом Туском")),
    ("ru", "президентом Франции", actor(["FRA"], None, "head_of_state")),
    ("ru", "генсеком НАТО", actor([], "NATO", "secretary_general")),
    ("ru", "генеральный секретарь ООН", actor([], "UN", "secretary_general")),
    ("ru", "польским коллегой", actor(["POL"])),
    ("ru", "японским коллегой Таро Коно", actor(["JPN"], None, None, "Таро Коно")),
    ("ru", "литовская делегация", actor(["LTU"], None, "delegation")),
    ("ru", "правительство Канады", actor(["CAN"], None, "government")),
    ("ru", "Министерство обороны Германии", actor(["DEU"], None, "agency")),
    ("ru", "посол Японии в Украине", actor(["JPN"], None, "ambassador")),
    ("ru", "Госдума", actor(["RUS"], None, "parliament")),
    ("ru", "Украина и Япония", actor(["UKR", "JPN"])),
    ("ru", "министры иностранных дел Латвии и Литвы", actor(["LVA", "LTU"], None, "foreign_minister")),
    ("ru", "председатель Еврокомиссии", actor([], "EU", "head_of_organisation")),
    ("en", "Estonian Defence Minister Hanno Pevkur", actor(["EST"], None, "defence_minister", "Hanno Pevkur")),
    ("en", "Japan's Foreign Minister Takeshi Iwaya", actor(["JPN"], None, "foreign_minister", "Takeshi Iwaya")),
    ("en", "Polish Prime Minister Donald Tusk", actor(["POL"], None, "head_of_government", "Donald Tusk")),
    ("en", "French President Emmanuel Macron", actor(["FRA"], None, "head_of_state", "Emmanuel Macron")),
    ("en", "NATO Secretary General Mark Rutte", actor([], "NATO", "secretary_general", "Mark Rutte")),
    ("en", "UN Secretary-General António Guterres", actor([], "UN", "secretary_general", "António Guterres")),
    ("en", "his Polish counterpart", actor(["POL"])),
    ("en", "her Latvian counterpart Baiba Braže", actor(["LVA"], None, None, "Baiba Braže")),
    ("en", "the Dutch government", actor(["NLD"], None, "government")),
    ("en", "Germany's defence ministry", actor(["DEU"], None, "agency")),
    ("en", "the US Secretary of Defense", actor(["USA"], None, "defence_minister")),
    ("en", "Canadian Prime Minister", actor(["CAN"], None, "head_of_government")),
    ("en", "the Swedish delegation", actor(["SWE"], None, "delegation")),
    ("en", "Ukraine's ambassador to Japan", actor(["UKR"], None, "ambassador")),
    ("en", "Finland and Estonia", actor(["FIN", "EST"])),
    ("en", "the President of the European Commission", actor([], "EU", "head_of_organisation")),
    ("en", "Lithuania's parliament", actor(["LTU"], None, "parliament")),
    ("en", "the British Foreign Secretary", actor(["GBR"], None, "foreign_minister")),
]
for lang, text, gold in TITLED:
    add(lang, "participant", text, gold)

# metonyms, capitals and groups
METONYMS = [
    ("uk", "Варшава", ["POL"], None), ("uk", "Вашингтон", ["USA"], None), ("uk", "Києва", ["UKR"], None),
    ("uk", "Токіо", ["JPN"], None), ("uk", "Берліном", ["DEU"], None), ("uk", "Парижа", ["FRA"], None),
    ("uk", "Лондон", ["GBR"], None), ("uk", "Вільнюсом", ["LTU"], None), ("uk", "Таллінн", ["EST"], None),
    ("uk", "Кремль", ["RUS"], "government"), ("uk", "Білий дім", ["USA"], "government"),
    ("uk", "Білого дому", ["USA"], "government"), ("uk", "Пентагон", ["USA"], "agency"),
    ("uk", "Пентагону", ["USA"], "agency"), ("uk", "Держдеп", ["USA"], "agency"),
    ("uk", "Даунінг-стріт", ["GBR"], "government"), ("uk", "Банкова", ["UKR"], "government"),
    ("ru", "Варшава", ["POL"], None), ("ru", "Вашингтоном", ["USA"], None), ("ru", "Кремль", ["RUS"], "government"),
    ("ru", "Белый дом", ["USA"], "government"), ("ru", "Пентагона", ["USA"], "agency"),
    ("ru", "Госдеп", ["USA"], "agency"), ("ru", "Токио", ["JPN"], None), ("ru", "Пекином", ["CHN"], None),
    ("ru", "Москва", ["RUS"], None), ("ru", "Киевом", ["UKR"], None), ("ru", "Анкара", ["TUR"], None),
    ("en", "Warsaw", ["POL"], None), ("en", "Warsaw's", ["POL"], None), ("en", "the Kremlin", ["RUS"], "government"),
    ("en", "Kremlin", ["RUS"], "government"), ("en", "the White House", ["USA"], "government"),
    ("en", "the Pentagon", ["USA"], "agency"), ("en", "Washington", ["USA"], None), ("en", "Tokyo", ["JPN"], None),
    ("en", "Beijing", ["CHN"], None), ("en", "Downing Street", ["GBR"], "government"), ("en", "Ankara", ["TUR"], None),
    ("en", "the State Department", ["USA"], "agency"), ("en", "Ottawa", ["CAN"], None),
]
for lang, text, codes, role in METONYMS:
    add(lang, "party", text, actor(codes, None, role))
for lang, text in [("uk", "Брюссель"), ("ru", "Брюссель"), ("en", "Brussels")]:
    add(lang, "party", text, actor([], "EU", "agency"))

GROUPS = [
    ("uk", "країни Балтії", ["EST", "LVA", "LTU"]), ("uk", "країнами Балтії", ["EST", "LVA", "LTU"]),
    ("uk", "балтійські держави", ["EST", "LVA", "LTU"]), ("uk", "країн Північної Європи", ["DNK", "FIN", "ISL", "NOR", "SWE"]),
    ("uk", "скандинавські країни", ["DNK", "NOR", "SWE"]), ("uk", "країни Бенілюксу", ["BEL", "NLD", "LUX"]),
    ("uk", "Вишеградська четвірка", ["CZE", "HUN", "POL", "SVK"]),
    ("ru", "страны Балтии", ["EST", "LVA", "LTU"]), ("ru", "Прибалтика", ["EST", "LVA", "LTU"]),
    ("ru", "странами Северной Европы", ["DNK", "FIN", "ISL", "NOR", "SWE"]), ("ru", "скандинавские страны", ["DNK", "NOR", "SWE"]),
    ("ru", "Веймарский треугольник", ["FRA", "DEU", "POL"]),
    ("en", "the Nordics", ["DNK", "FIN", "ISL", "NOR", "SWE"]), ("en", "the Baltic states", ["EST", "LVA", "LTU"]),
    ("en", "Nordic countries", ["DNK", "FIN", "ISL", "NOR", "SWE"]), ("en", "the Baltics", ["EST", "LVA", "LTU"]),
    ("en", "the Weimar Triangle", ["FRA", "DEU", "POL"]), ("en", "the Benelux countries", ["BEL", "NLD", "LUX"]),
]
for lang, text, codes in GROUPS:
    add(lang, "donor", text, actor(codes))

ORGS = [
    ("uk", "НАТО", "NATO"), ("uk", "Північноатлантичного альянсу", "NATO"), ("uk", "ЄС", "EU"), ("uk", "Євросоюзом", "EU"),
    ("uk", "Європейський Союз", "EU"), ("uk", "Єврокомісія", "EU"), ("uk", "ООН", "UN"), ("uk", "G7", "G7"),
    ("uk", "країни G7", "G7"), ("uk", "Великої сімки", "G7"), ("uk", "ОБСЄ", "OSCE"), ("uk", "МАГАТЕ", "IAEA"),
    ("uk", "Африканський союз", "AU"), ("uk", "АСЕАН", "ASEAN"), ("uk", "МВФ", "IMF"), ("uk", "Світовий банк", "WB"),
    ("uk", "Світового банку", "WB"), ("uk", "ЄБРР", "EBRD"), ("uk", "Ради Європи", "COE"), ("uk", "ВООЗ", "WHO"),
    ("ru", "НАТО", "NATO"), ("ru", "Евросоюз", "EU"), ("ru", "Европейским союзом", "EU"), ("ru", "ООН", "UN"),
    ("ru", "Большой семерки", "G7"), ("ru", "ОБСЕ", "OSCE"), ("ru", "МАГАТЭ", "IAEA"), ("ru", "Всемирный банк", "WB"),
    ("ru", "Международного валютного фонда", "IMF"), ("ru", "ОДКБ", "CSTO"), ("ru", "ШОС", "SCO"),
    ("ru", "Африканского союза", "AU"),
    ("en", "NATO", "NATO"), ("en", "the EU", "EU"), ("en", "the European Union", "EU"), ("en", "the European Commission", "EU"),
    ("en", "the UN", "UN"), ("en", "the G7", "G7"), ("en", "OSCE", "OSCE"), ("en", "the IAEA", "IAEA"),
    ("en", "the African Union", "AU"), ("en", "ASEAN", "ASEAN"), ("en", "the IMF", "IMF"), ("en", "the World Bank", "WB"),
    ("en", "the EBRD", "EBRD"), ("en", "the Council of Europe", "COE"), ("en", "G20 members", "G20"),
]
for lang, text, org in ORGS:
    add(lang, "donor", text, actor([], org))

# names without titles, and actors nobody can resolve: they must carry no code
NAMES = [("uk", "Зеленський"), ("uk", "Таро Коно"), ("uk", "Ханно Певкур"), ("uk", "з Андрієм Сибігою"),
         ("uk", "Рютте"), ("ru", "Лавров"), ("ru", "с Марко Рубио"), ("ru", "Такеши Ивая"), ("en", "Marco Rubio"),
         ("en", "Rutte"), ("en", "Kaja Kallas"), ("en", "Hakan Fidan"), ("uk", "Софія Іваненко"),
         ("uk", "Джорджія Мелоні"), ("en", "Sofia Petrova")]
for lang, text in NAMES:
    add(lang, "participant", text, None if False else actor([], None, None, text.split(" ", 1)[1] if text.startswith(("з ", "с ")) else text))
UNKNOWN = [("uk", "сторони"), ("uk", "партнери"), ("uk", "союзники"), ("uk", "учасники зустрічі"), ("uk", "донори"),
           ("uk", "обидві країни"), ("uk", "європейські партнери"), ("uk", "коаліція охочих"), ("uk", "західні союзники"),
           ("ru", "стороны"), ("ru", "партнеры"), ("ru", "союзники"), ("ru", "обе страны"), ("ru", "западные партнеры"),
           ("ru", "доноры"), ("en", "the parties"), ("en", "both sides"), ("en", "allies"), ("en", "Western partners"),
           ("en", "donors"), ("en", "the two countries"), ("en", "officials"), ("en", "the coalition of the willing"),
           ("uk", "міжнародні партнери"), ("ru", "международные партнеры"), ("en", "international partners"),
           ("uk", "обидві делегації"), ("en", "European partners"), ("uk", "країни-партнери"), ("ru", "страны-доноры")]
for lang, text in UNKNOWN:
    gold = None
    if "делегац" in text:
        gold = actor([], None, "delegation")
    add(lang, "participant", text, gold)

# ---------------------------------------------------------------- amounts
def money(v, cur, approx=False):
    return {"value": v, "currency": cur, "unit": None, "approximate": approx}


def count(v, unit, approx=False):
    return {"value": v, "currency": None, "unit": unit, "approximate": approx}


AMOUNTS = [
    ("uk", "470 млн доларів", money(470e6, "USD")), ("uk", "$1,5 млрд", money(1.5e9, "USD")),
    ("uk", "EUR800 млрд", money(800e9, "EUR")), ("en", "€2.75 billion", money(2.75e9, "EUR")),
    ("uk", "понад 200 мільйонів євро", money(200e6, "EUR", True)), ("uk", "півмільярда доларів", money(5e8, "USD")),
    ("uk", "півмільярда євро", money(5e8, "EUR")), ("uk", "1,2 млрд гривень", money(1.2e9, "UAH")),
    ("uk", "2.5 млрд грн", money(2.5e9, "UAH")), ("uk", "100 тисяч доларів", money(1e5, "USD")),
    ("uk", "10\u00a0000 євро", money(1e4, "EUR")), ("uk", "1\u202f000\u202f000 гривень", money(1e6, "UAH")),
    ("uk", "близько 300 млн євро", money(3e8, "EUR", True)), ("uk", "майже 1 млрд доларів", money(1e9, "USD", True)),
    ("uk", "до 50 млн фунтів стерлінгів", money(5e7, "GBP", True)), ("uk", "півтора мільярда доларів", money(1.5e9, "USD")),
    ("uk", "40 бронемашин", count(40, "бронемашина")), ("uk", "12 гаубиць", count(12, "гаубиця")),
    ("uk", "три батареї", count(3, "батарея")), ("uk", "понад 100 дронів", count(100, "дрон", True)),
    ("uk", "5 000 тонн зерна", count(5000, "тонна")), ("uk", "€1,5 млрд", money(1.5e9, "EUR")),
    ("uk", "3,5 млрд шведських крон", money(3.5e9, "SEK")), ("uk", "20 млрд єн", money(2e10, "JPY")),
    ("uk", "400 млн злотих", money(4e8, "PLN")), ("uk", "мільйон доларів", money(1e6, "USD")),
    ("ru", "470 млн долларов", money(470e6, "USD")), ("ru", "$1,5 млрд", money(1.5e9, "USD")),
    ("ru", "более 200 миллионов евро", money(2e8, "EUR", True)), ("ru", "полмиллиарда долларов", money(5e8, "USD")),
    ("ru", "около 300 млн евро", money(3e8, "EUR", True)), ("ru", "2,5 млрд гривен", money(2.5e9, "UAH")),
    ("ru", "свыше 1 млрд долларов", money(1e9, "USD", True)), ("ru", "40 бронемашин", count(40, "бронемашина")),
    ("ru", "100 тысяч евро", money(1e5, "EUR")), ("ru", "полтора миллиарда евро", money(1.5e9, "EUR")),
    ("ru", "почти 600 млн долларов", money(6e8, "USD", True)), ("ru", "€900 млн", money(9e8, "EUR")),
    ("ru", "15 млрд иен", money(1.5e10, "JPY")), ("ru", "300 млн норвежских крон", money(3e8, "NOK")),
    ("ru", "20 тыс. тонн", count(2e4, "тонна")), ("ru", "25 танков", count(25, "танк")),
    ("en", "$470 million", money(470e6, "USD")), ("en", "$1.5bn", money(1.5e9, "USD")), ("en", "£1.5 billion", money(1.5e9, "GBP")),
    ("en", "EUR 1.2 billion", money(1.2e9, "EUR")), ("en", "USD 300 million", money(3e8, "USD")),
    ("en", "more than $200 million", money(2e8, "USD", True)), ("en", "about €500m", money(5e8, "EUR", True)),
    ("en", "nearly 1 billion euros", money(1e9, "EUR", True)), ("en", "half a billion dollars", money(5e8, "USD")),
    ("en", "$400,000", money(4e5, "USD")), ("en", "2,500,000 euros", money(2.5e6, "EUR")),
    ("en", "40 vehicles", count(40, "vehicles")), ("en", "two Patriot batteries", count(2, "batteries")),
    ("en", "up to 100 drones", count(100, "drones", True)), ("en", "1,000 tonnes of grain", count(1000, "tonnes")),
    ("en", "a billion dollars", money(1e9, "USD")), ("en", "CAD 500 million", money(5e8, "CAD")),
    ("en", "100 million Swiss francs", money(1e8, "CHF")), ("en", "300 million Danish kroner", money(3e8, "DKK")),
    ("en", "1.5 trillion yen", money(1.5e12, "JPY")), ("en", "¥20 billion", money(2e10, "JPY")),
    ("en", "€2,75 billion", money(2.75e9, "EUR")), ("uk", "$2.75 млрд", money(2.75e9, "USD")),
    ("uk", "€ 500 млн", money(5e8, "EUR")), ("uk", "EUR 40 млн", money(4e7, "EUR")), ("uk", "USD1 млрд", money(1e9, "USD")),
    ("uk", "7 млн гривень", money(7e6, "UAH")), ("ru", "7 млн рублей", money(7e6, "RUB")),
    ("uk", "понад 30 тис. тонн", count(3e4, "тонна", True)), ("en", "some 2,000 tonnes", count(2000, "tonnes", True)),
    ("uk", "десять генераторів", count(10, "генератор")), ("ru", "две батареи", count(2, "батарея")),
    # malformed or vague: nothing reliable to normalise
    ("uk", "кілька мільйонів доларів", None), ("uk", "десятки мільйонів євро", None), ("uk", "значну суму", None),
    ("uk", "мільярди доларів", None), ("ru", "несколько миллионов евро", None), ("ru", "сотни миллионов долларов", None),
    ("en", "millions of dollars", None), ("en", "a substantial sum", None), ("en", "several billion euros", None),
    ("uk", "1,2,3 млн", None), ("en", "$", None), ("uk", "млн доларів", None), ("ru", "крупную сумму", None),
    ("en", "an undisclosed amount", None), ("uk", "чималі кошти", None),
]
for lang, text, gold in AMOUNTS:
    add(lang, "amount", text, gold)

# ---------------------------------------------------------------- places
def place(country, city=None):
    return {"country": country, "city": city}


PLACES = [
    ("uk", "в Мадриді", place("ESP", "Madrid")), ("uk", "у бельгійському Монсі", place("BEL", "Mons")),
    ("uk", "у Варшаві", place("POL", "Warsaw")), ("uk", "в Брюсселі", place("BEL", "Brussels")),
    ("uk", "у Вільнюсі", place("LTU", "Vilnius")), ("uk", "в Токіо", place("JPN", "Tokyo")),
    ("uk", "у Києві", place("UKR", "Kyiv")), ("uk", "у Львові", place("UKR", "Lviv")), ("uk", "в Одесі", place("UKR", "Odesa")),
    ("uk", "у Харкові", place("UKR", "Kharkiv")), ("uk", "у Парижі", place("FRA", "Paris")), ("uk", "в Лондоні", place("GBR", "London")),
    ("uk", "у Берліні", place("DEU", "Berlin")), ("uk", "у Вашингтоні", place("USA", "Washington")),
    ("uk", "в Анкарі", place("TUR", "Ankara")), ("uk", "у Стамбулі", place("TUR", "Istanbul")),
    ("uk", "в Женеві", place("CHE", "Geneva")), ("uk", "у Гаазі", place("NLD", "The Hague")), ("uk", "у Римі", place("ITA", "Rome")),
    ("uk", "в Осло", place("NOR", "Oslo")), ("uk", "у Гельсінкі", place("FIN", "Helsinki")), ("uk", "у Ризі", place("LVA", "Riga")),
    ("uk", "в Таллінні", place("EST", "Tallinn")), ("uk", "у Празі", place("CZE", "Prague")), ("uk", "у Відні", place("AUT", "Vienna")),
    ("uk", "в Ер-Ріяді", place("SAU", "Riyadh")), ("uk", "у Джидді", place("SAU", "Jeddah")), ("uk", "у Досі", place("QAT", "Doha")),
    ("uk", "у Кишиневі", place("MDA", "Chisinau")), ("uk", "у Жешуві", place("POL", "Rzeszów")), ("uk", "в Ряшеві", place("POL", "Rzeszów")),
    ("uk", "у Кракові", place("POL", "Kraków")), ("uk", "у Мюнхені", place("DEU", "Munich")), ("uk", "в Сеулі", place("KOR", "Seoul")),
    ("uk", "у Пекіні", place("CHN", "Beijing")), ("uk", "в Оттаві", place("CAN", "Ottawa")), ("uk", "у Стокгольмі", place("SWE", "Stockholm")),
    ("uk", "у Копенгагені", place("DNK", "Copenhagen")), ("uk", "в Амстердамі", place("NLD", "Amsterdam")),
    ("uk", "у Страсбурзі", place("FRA", "Strasbourg")), ("uk", "у Давосі", place("CHE", "Davos")),
    ("uk", "у Польщі", place("POL")), ("uk", "в Японії", place("JPN")), ("uk", "у Німеччині", place("DEU")),
    ("uk", "в Естонії", place("EST")), ("uk", "у Сполучених Штатах", place("USA")), ("uk", "в Туреччині", place("TUR")),
    ("uk", "у Вісбадені", place("DEU", "Wiesbaden")), ("uk", "у німецькому Вісбадені", place("DEU", "Wiesbaden")),
    ("uk", "в Гданську", place("POL", "Gdańsk")), ("uk", "у Луцьку", place("UKR", "Lutsk")), ("uk", "у Дніпрі", place("UKR", "Dnipro")),
    ("uk", "на саміті у Вільнюсі", place("LTU", "Vilnius")), ("uk", "у Бухаресті", place("ROU", "Bucharest")),
    ("ru", "в Мадриде", place("ESP", "Madrid")), ("ru", "в бельгийском Монсе", place("BEL", "Mons")),
    ("ru", "в Варшаве", place("POL", "Warsaw")), ("ru", "в Брюсселе", place("BEL", "Brussels")), ("ru", "в Киеве", place("UKR", "Kyiv")),
    ("ru", "в Токио", place("JPN", "Tokyo")), ("ru", "в Вильнюсе", place("LTU", "Vilnius")), ("ru", "в Париже", place("FRA", "Paris")),
    ("ru", "в Лондоне", place("GBR", "London")), ("ru", "в Берлине", place("DEU", "Berlin")), ("ru", "в Вашингтоне", place("USA", "Washington")),
    ("ru", "в Стамбуле", place("TUR", "Istanbul")), ("ru", "в Женеве", place("CHE", "Geneva")), ("ru", "в Эр-Рияде", place("SAU", "Riyadh")),
    ("ru", "в Минске", place("BLR", "Minsk")), ("ru", "в Москве", place("RUS", "Moscow")), ("ru", "в Астане", place("KAZ", "Astana")),
    ("ru", "в Баку", place("AZE", "Baku")), ("ru", "в Тбилиси", place("GEO", "Tbilisi")), ("ru", "в Ереване", place("ARM", "Yerevan")),
    ("ru", "в Хельсинки", place("FIN", "Helsinki")), ("ru", "в Риге", place("LVA", "Riga")), ("ru", "в Таллине", place("EST", "Tallinn")),
    ("ru", "в Праге", place("CZE", "Prague")), ("ru", "в Вене", place("AUT", "Vienna")), ("ru", "в Одессе", place("UKR", "Odesa")),
    ("ru", "в Харькове", place("UKR", "Kharkiv")), ("ru", "в Польше", place("POL")), ("ru", "в Японии", place("JPN")),
    ("ru", "в Германии", place("DEU")), ("ru", "в Анкаре", place("TUR", "Ankara")), ("ru", "в Страсбурге", place("FRA", "Strasbourg")),
    ("ru", "в Дохе", place("QAT", "Doha")), ("ru", "в Пекине", place("CHN", "Beijing")), ("ru", "в Сеуле", place("KOR", "Seoul")),
    ("ru", "в Кракове", place("POL", "Kraków")), ("ru", "в Мюнхене", place("DEU", "Munich")), ("ru", "в Гааге", place("NLD", "The Hague")),
    ("en", "Warsaw", place("POL", "Warsaw")), ("en", "in Madrid", place("ESP", "Madrid")), ("en", "in Mons, Belgium", place("BEL", "Mons")),
    ("en", "in Brussels", place("BEL", "Brussels")), ("en", "in Vilnius", place("LTU", "Vilnius")), ("en", "in Tokyo", place("JPN", "Tokyo")),
    ("en", "in Kyiv", place("UKR", "Kyiv")), ("en", "in Kiev", place("UKR", "Kyiv")), ("en", "in Paris", place("FRA", "Paris")),
    ("en", "in London", place("GBR", "London")), ("en", "in Berlin", place("DEU", "Berlin")), ("en", "in Washington", place("USA", "Washington")),
    ("en", "in Istanbul", place("TUR", "Istanbul")), ("en", "in Geneva", place("CHE", "Geneva")), ("en", "in The Hague", place("NLD", "The Hague")),
    ("en", "in Riyadh", place("SAU", "Riyadh")), ("en", "in Jeddah", place("SAU", "Jeddah")), ("en", "at Ramstein", place("DEU", "Ramstein-Miesenbach")),
    ("en", "in Poland", place("POL")), ("en", "in Japan", place("JPN")), ("en", "in Germany", place("DEU")),
    ("en", "in Rzeszów", place("POL", "Rzeszów")), ("en", "in Rzeszow", place("POL", "Rzeszów")), ("en", "in Wiesbaden", place("DEU", "Wiesbaden")),
    ("en", "in Seoul", place("KOR", "Seoul")), ("en", "in Ottawa", place("CAN", "Ottawa")), ("en", "in Helsinki", place("FIN", "Helsinki")),
    ("en", "in Stockholm", place("SWE", "Stockholm")), ("en", "in Copenhagen", place("DNK", "Copenhagen")),
    ("en", "in Oslo", place("NOR", "Oslo")), ("en", "in Chisinau", place("MDA", "Chisinau")), ("en", "in Davos", place("CHE", "Davos")),
    ("en", "in Munich", place("DEU", "Munich")), ("en", "in Lviv", place("UKR", "Lviv")), ("en", "in Odesa", place("UKR", "Odesa")),
    ("en", "in Birmingham", place("GBR", "Birmingham")), ("en", "in Hamburg", place("DEU", "Hamburg")),
    ("uk", "у Рамштайні", place("DEU", "Ramstein-Miesenbach")), ("ru", "в Рамштайне", place("DEU", "Ramstein-Miesenbach")),
    # ambiguous cities (namesakes of similar size in different countries) and venues that are no place value
    ("en", "in Valencia", None), ("uk", "у Валенсії", None), ("en", "in San Jose", None), ("ru", "в Сан-Хосе", None),
    ("uk", "онлайн", None), ("uk", "в режимі відеоконференції", None), ("ru", "в режиме видеосвязи", None),
    ("en", "online", None), ("en", "by video link", None), ("uk", "на полях саміту", None), ("en", "on the sidelines of the summit", None),
    ("uk", "у штаб-квартирі НАТО", None), ("en", "at NATO headquarters", None), ("ru", "на полях форума", None),
    ("uk", "у місті", None), ("en", "in the capital", None),
]
for lang, text, gold in PLACES:
    add(lang, "place", text, gold)


# ---------------------------------------------------------------- time (article date Wednesday 2026-04-08)
def tm(value, start, end, gran):
    return {"value": value, "start": start, "end": end, "granularity": gran}


def day(d):
    return tm(d, d, d, "day")


TIMES = [
    ("uk", "8 квітня", "happened", day("2026-04-08")), ("uk", "сьогодні", "happened", day("2026-04-08")),
    ("uk", "вчора", "happened", day("2026-04-07")), ("uk", "у вівторок", "happened", day("2026-04-07")),
    ("uk", "у понеділок", "happened", day("2026-04-06")), ("uk", "у п'ятницю", "happened", day("2026-04-03")),
    ("uk", "у п'ятницю", "planned", day("2026-04-10")), ("uk", "в понеділок", "planned", day("2026-04-13")),
    ("uk", "завтра", "planned", day("2026-04-09")), ("uk", "8 грудня", "happened", day("2025-12-08")),
    ("uk", "5 травня", "planned", day("2026-05-05")), ("uk", "12 березня", "happened", day("2026-03-12")),
    ("uk", "12 березня", "planned", day("2027-03-12")), ("uk", "8 квітня 2025 року", "happened", day("2025-04-08")),
    ("uk", "у березні", "happened", tm("2026-03", "2026-03-01", "2026-03-31", "month")),
    ("uk", "у травні", "happened", tm("2025-05", "2025-05-01", "2025-05-31", "month")),
    ("uk", "у травні", "planned", tm("2026-05", "2026-05-01", "2026-05-31", "month")),
    ("uk", "на початку квітня", "happened", tm("2026-04", "2026-04-01", "2026-04-10", "month")),
    ("uk", "в середині травня", "planned", tm("2026-05", "2026-05-11", "2026-05-20", "month")),
    ("uk", "наприкінці червня", "planned", tm("2026-06", "2026-06-21", "2026-06-30", "month")),
    ("uk", "наприкінці березня", "happened", tm("2026-03", "2026-03-21", "2026-03-31", "month")),
    ("uk", "8-10 квітня", "happened", tm("2026-04-08/2026-04-10", "2026-04-08", "2026-04-10", "day")),
    ("uk", "з 8 по 10 квітня", "planned", tm("2026-04-08/2026-04-10", "2026-04-08", "2026-04-10", "day")),
    ("uk", "з 30 березня по 2 квітня", "happened", tm("2026-03-30/2026-04-02", "2026-03-30", "2026-04-02", "day")),
    ("uk", "до 10 квітня", "planned", tm("../2026-04-10", None, "2026-04-10", "day")),
    ("uk", "до кінця року", "planned", tm("../2026", None, "2026-12-31", "year")),
    ("uk", "з 1 травня", "planned", tm("2026-05-01/..", "2026-05-01", None, "day")),
    ("uk", "навесні", "planned", tm("2026-SP", "2026-03-01", "2026-05-31", "season")),
    ("uk", "влітку", "planned", tm("2026-SU", "2026-06-01", "2026-08-31", "season")),
    ("uk", "восени", "planned", tm("2026-FA", "2026-09-01", "2026-11-30", "season")),
    ("uk", "взимку", "happened", tm("2025-WI", "2025-12-01", "2026-02-28", "season")),
    ("uk", "минулого літа", "happened", tm("2025-SU", "2025-06-01", "2025-08-31", "season")),
    ("uk", "у 2027 році", "planned", tm("2027", "2027-01-01", "2027-12-31", "year")),
    ("uk", "у 2025 році", "happened", tm("2025", "2025-01-01", "2025-12-31", "year")),
    ("uk", "у першому кварталі", "happened", tm("2026-Q1", "2026-01-01", "2026-03-31", "quarter")),
    ("uk", "у третьому кварталі 2026 року", "planned", tm("2026-Q3", "2026-07-01", "2026-09-30", "quarter")),
    ("uk", "у другому півріччі", "planned", tm("2026-H2", "2026-07-01", "2026-12-31", "half_year")),
    ("uk", "наступного тижня", "planned", tm("2026-W16", "2026-04-13", "2026-04-19", "week")),
    ("uk", "минулого тижня", "happened", tm("2026-W14", "2026-03-30", "2026-04-05", "week")),
    ("uk", "наступного місяця", "planned", tm("2026-05", "2026-05-01", "2026-05-31", "month")),
    ("uk", "наступного року", "planned", tm("2027", "2027-01-01", "2027-12-31", "year")),
    ("uk", "на початку наступного року", "planned", tm("2027", "2027-01-01", "2027-04-30", "year")),
    ("uk", "у березні-квітні", "happened", tm("2026-03/2026-04", "2026-03-01", "2026-04-30", "month")),
    ("uk", "2025–2027 роки", "planned", tm("2025/2027", "2025-01-01", "2027-12-31", "year")),
    ("uk", "до 2030 року", "planned", tm("../2030", None, "2030-12-31", "year")),
    ("uk", "найближчим часом", "planned", None), ("uk", "незабаром", "planned", None), ("uk", "нещодавно", "happened", None),
    ("ru", "8 апреля", "happened", day("2026-04-08")), ("ru", "сегодня", "happened", day("2026-04-08")),
    ("ru", "вчера", "happened", day("2026-04-07")), ("ru", "в среду", "happened", day("2026-04-08")),
    ("ru", "в пятницу", "planned", day("2026-04-10")), ("ru", "в пятницу", "happened", day("2026-04-03")),
    ("ru", "в понедельник", "planned", day("2026-04-13")), ("ru", "15 декабря", "happened", day("2025-12-15")),
    ("ru", "20 мая", "planned", day("2026-05-20")), ("ru", "весной", "planned", tm("2026-SP", "2026-03-01", "2026-05-31", "season")),
    ("ru", "летом", "planned", tm("2026-SU", "2026-06-01", "2026-08-31", "season")),
    ("ru", "осенью", "happened", tm("2025-FA", "2025-09-01", "2025-11-30", "season")),
    ("ru", "зимой", "planned", tm("2026-WI", "2026-12-01", "2027-02-28", "season")),
    ("ru", "в начале апреля", "happened", tm("2026-04", "2026-04-01", "2026-04-10", "month")),
    ("ru", "в середине мая", "planned", tm("2026-05", "2026-05-11", "2026-05-20", "month")),
    ("ru", "в конце марта", "happened", tm("2026-03", "2026-03-21", "2026-03-31", "month")),
    ("ru", "8-10 апреля", "happened", tm("2026-04-08/2026-04-10", "2026-04-08", "2026-04-10", "day")),
    ("ru", "с 30 марта по 2 апреля", "happened", tm("2026-03-30/2026-04-02", "2026-03-30", "2026-04-02", "day")),
    ("ru", "до 10 апреля", "planned", tm("../2026-04-10", None, "2026-04-10", "day")),
    ("ru", "до конца года", "planned", tm("../2026", None, "2026-12-31", "year")),
    ("ru", "с 1 июня", "planned", tm("2026-06-01/..", "2026-06-01", None, "day")),
    ("ru", "в 2027 году", "planned", tm("2027", "2027-01-01", "2027-12-31", "year")),
    ("ru", "в первом квартале", "happened", tm("2026-Q1", "2026-01-01", "2026-03-31", "quarter")),
    ("ru", "во втором квартале 2026 года", "planned", tm("2026-Q2", "2026-04-01", "2026-06-30", "quarter")),
    ("ru", "во втором полугодии", "planned", tm("2026-H2", "2026-07-01", "2026-12-31", "half_year")),
    ("ru", "на следующей неделе", "planned", tm("2026-W16", "2026-04-13", "2026-04-19", "week")),
    ("ru", "в прошлом месяце", "happened", tm("2026-03", "2026-03-01", "2026-03-31", "month")),
    ("ru", "в следующем году", "planned", tm("2027", "2027-01-01", "2027-12-31", "year")),
    ("ru", "в конце года", "planned", tm("2026", "2026-09-01", "2026-12-31", "year")),
    ("ru", "в ближайшее время", "planned", None), ("ru", "недавно", "happened", None),
    ("en", "April 8", "happened", day("2026-04-08")), ("en", "today", "happened", day("2026-04-08")),
    ("en", "yesterday", "happened", day("2026-04-07")), ("en", "on Tuesday", "happened", day("2026-04-07")),
    ("en", "on Friday", "happened", day("2026-04-03")), ("en", "on Friday", "planned", day("2026-04-10")),
    ("en", "next Monday", "planned", day("2026-04-13")), ("en", "on December 8", "happened", day("2025-12-08")),
    ("en", "on May 5", "planned", day("2026-05-05")), ("en", "in March", "happened", tm("2026-03", "2026-03-01", "2026-03-31", "month")),
    ("en", "in early April", "happened", tm("2026-04", "2026-04-01", "2026-04-10", "month")),
    ("en", "in mid-May", "planned", tm("2026-05", "2026-05-11", "2026-05-20", "month")),
    ("en", "in late June", "planned", tm("2026-06", "2026-06-21", "2026-06-30", "month")),
    ("en", "at the end of March", "happened", tm("2026-03", "2026-03-21", "2026-03-31", "month")),
    ("en", "by the end of the year", "planned", tm("../2026", None, "2026-12-31", "year")),
    ("en", "April 8-10", "happened", tm("2026-04-08/2026-04-10", "2026-04-08", "2026-04-10", "day")),
    ("en", "from March 30 to April 2", "happened", tm("2026-03-30/2026-04-02", "2026-03-30", "2026-04-02", "day")),
    ("en", "until April 10", "planned", tm("../2026-04-10", None, "2026-04-10", "day")),
    ("en", "since May 1", "planned", tm("2026-05-01/..", "2026-05-01", None, "day")),
    ("en", "in spring", "planned", tm("2026-SP", "2026-03-01", "2026-05-31", "season")),
    ("en", "this summer", "planned", tm("2026-SU", "2026-06-01", "2026-08-31", "season")),
    ("en", "last autumn", "happened", tm("2025-FA", "2025-09-01", "2025-11-30", "season")),
    ("en", "in 2027", "planned", tm("2027", "2027-01-01", "2027-12-31", "year")),
    ("en", "in Q3", "planned", tm("2026-Q3", "2026-07-01", "2026-09-30", "quarter")),
    ("en", "in the first quarter of 2027", "planned", tm("2027-Q1", "2027-01-01", "2027-03-31", "quarter")),
    ("en", "in the second half of the year", "planned", tm("2026-H2", "2026-07-01", "2026-12-31", "half_year")),
    ("en", "next week", "planned", tm("2026-W16", "2026-04-13", "2026-04-19", "week")),
    ("en", "last month", "happened", tm("2026-03", "2026-03-01", "2026-03-31", "month")),
    ("en", "next year", "planned", tm("2027", "2027-01-01", "2027-12-31", "year")),
    ("en", "early next year", "planned", tm("2027", "2027-01-01", "2027-04-30", "year")),
    ("en", "by 2030", "planned", tm("../2030", None, "2030-12-31", "year")),
    ("en", "2025-2027", "planned", tm("2025/2027", "2025-01-01", "2027-12-31", "year")),
    ("en", "March-May", "happened", tm("2026-03/2026-05", "2026-03-01", "2026-05-31", "month")),
    ("en", "soon", "planned", None), ("en", "recently", "happened", None), ("en", "in the coming weeks", "planned", None),
]
for lang, text, status, gold in TIMES:
    add(lang, "time", text, gold, status)
# the same bare expressions against another article date, so that the year logic is exercised
for lang, text, status, gold in [
    ("uk", "5 січня", "planned", day("2026-01-05")), ("uk", "20 грудня", "happened", day("2025-12-20")),
    ("ru", "10 января", "planned", day("2026-01-10")), ("en", "on January 5", "planned", day("2026-01-05")),
    ("uk", "у листопаді", "happened", tm("2025-11", "2025-11-01", "2025-11-30", "month")),
    ("en", "in November", "happened", tm("2025-11", "2025-11-01", "2025-11-30", "month")),
    ("uk", "взимку", "planned", tm("2026-WI", "2026-12-01", "2027-02-28", "season")),
    ("ru", "прошлой весной", "happened", tm("2025-SP", "2025-03-01", "2025-05-31", "season")),
]:
    add(lang, "time", text, gold, status, date="2026-01-02")

if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    from collections import Counter
    print(f"wrote {len(rows)} rows to {OUT}:", dict(Counter(r["role"] for r in rows)), dict(Counter(r["lang"] for r in rows)))
