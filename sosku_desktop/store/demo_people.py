"""The invented people, places and phrases of the demo caseload.

Kept apart from the builders (``store.demo``, ``store.caseload``) so the
data can grow without the code that writes it growing too.
"""

from __future__ import annotations

from dataclasses import dataclass

from sosku_desktop.domain import codes


#: Identity codes use individual numbers 900–999, the range reserved for
#: temporary codes, so no demo code can be a real person's.
@dataclass(frozen=True)
class DemoClient:
    first: str
    last: str
    hetu: str
    phone: str
    language: str
    #: days since the period started (negative: starts in the future)
    started_days_ago: int
    phase: str
    goal: str
    subgoals: tuple[tuple[str, tuple[str, ...]], ...]
    notes: str


CLIENTS = (
    DemoClient(
        "Aino",
        "Korhonen",
        "120584-900F",
        "040 123 4567",
        "fi",
        40,
        codes.PHASE_INTENSIVE,
        "Haluan päästä kotoa ulos useammin ja löytää itselleni mielekästä tekemistä.",
        (
            (
                "Käyn ulkona joka päivä",
                ("Kävelen kaupalle tiistaisin ja perjantaisin", "Käyn kirjastossa kerran viikossa"),
            ),
            ("Löydän harrastuksen", ("Tutustun kansalaisopiston kursseihin",)),
        ),
        "Asiakas toivoo tapaamisia aamupäivisin.",
    ),
    DemoClient(
        "Juha",
        "Nieminen",
        "030379-9070",
        "044 765 4321",
        "fi",
        100,
        codes.PHASE_EVALUATION,
        "Haluan saada raha-asiani hallintaan, ettei sähkö katkea.",
        (
            (
                "Teen kuukausibudjetin",
                ("Kerään laskut yhteen kansioon", "Merkitsen menot vihkoon viikoittain"),
            ),
            ("Hoidan velat", ("Varaan ajan talous- ja velkaneuvontaan",)),
        ),
        "Puhelin välillä kiinni; tekstiviesti toimii parhaiten.",
    ),
    DemoClient(
        "Fatima",
        "Hassan",
        "250692-9146",
        "045 222 3344",
        "en",
        20,
        codes.PHASE_START,
        "Haluan oppia asioimaan itse virastoissa ja puhumaan enemmän suomea.",
        (
            ("Asioin itse Kelassa", ("Harjoittelemme asiointia verkossa yhdessä",)),
            ("Puhun suomea arjessa", ("Käyn kielikahvilassa keskiviikkoisin",)),
        ),
        "Tulkki tarvittaessa (somali).",
    ),
    DemoClient(
        "Mikael",
        "Lindqvist",
        "101188-921R",
        "050 987 6543",
        "sv",
        200,
        codes.PHASE_GROUP,
        "Jag vill ha en fast dygnsrytm och träffa andra människor.",
        (
            ("Jag går upp före klockan nio", ("Väckarklocka och morgonpromenad",)),
            ("Jag deltar i gruppen varje vecka", ("Vi går till första gruppträffen tillsammans",)),
        ),
        "Asioi ruotsiksi.",
    ),
    DemoClient(
        "Tiina",
        "Mäkelä",
        "070771-928D",
        "040 555 1212",
        "fi",
        330,
        codes.PHASE_ENDING,
        "Haluan hakea opiskelemaan ja pysyä mukana opinnoissa.",
        (
            ("Haen syksyn koulutukseen", ("Tutustumme oppilaitoksen avoimiin oviin",)),
            ("Arjen rytmi kestää opiskelun", ("Viikkojärjestys jääkaapin oveen",)),
        ),
        "Jatkopalvelu: opiskeluhuolto, siirtopalaveri sovittava.",
    ),
    DemoClient(
        "Pekka",
        "Heikkinen",
        "151265-9359",
        "044 321 9876",
        "fi",
        75,
        codes.PHASE_INTENSIVE,
        "Haluan päästä eroon yksinäisyydestä.",
        (("Tapaan ihmisiä viikoittain", ("Käyn seurakunnan ruokailussa torstaisin",)),),
        "Kotikäynneillä koira, ei allergisia työntekijöitä.",
    ),
    DemoClient(
        "Sari",
        "Koskinen",
        "",
        "045 888 7766",
        "fi",
        -7,
        codes.PHASE_BEFORE_START,
        "Haluan voimia arkeen ja selvyyden siitä, mitä seuraavaksi.",
        (("Kartoitamme tilanteen", ("Täytämme palvelukartan yhdessä",)),),
        "Ohjautui aikuissosiaalityöstä.",
    ),
    DemoClient(
        "Antti",
        "Järvinen",
        "240996-9494",
        "040 246 8101",
        "fi",
        160,
        codes.PHASE_GROUP,
        "Haluan päästä työkokeiluun.",
        (
            ("Selvitän työkokeilupaikat", ("Käymme yhdessä TE-palveluissa",)),
            ("Jaksan päivän kodin ulkopuolella", ("Osallistun ryhmään kaksi kertaa viikossa",)),
        ),
        "",
    ),
    DemoClient(
        "Elina",
        "Salo",
        "311082-9562",
        "050 135 7911",
        "fi",
        350,
        codes.PHASE_INTENSIVE,
        "Haluan muuttaa omaan asuntoon ja pärjätä siellä.",
        (
            ("Haen vuokra-asuntoa", ("Täytämme asuntohakemuksen",)),
            ("Opettelen kodinhoitoa", ("Siivouspäivä lauantaisin",)),
        ),
        "Vuoden enimmäisaika lähestyy: jatkopalvelu mietittävä.",
    ),
    DemoClient(
        "Kalle",
        "Rantanen",
        "090190-963W",
        "044 909 0909",
        "fi",
        55,
        codes.PHASE_INTENSIVE,
        "Haluan nukkua paremmin ja liikkua enemmän.",
        (("Liikun kolmesti viikossa", ("Kävelylenkki rannassa maanantaisin",)),),
        "",
    ),
    DemoClient(
        "Maria",
        "Andersson",
        "171175-970F",
        "040 777 8899",
        "sv",
        130,
        codes.PHASE_EVALUATION,
        "Jag vill hitta tillbaka till mina vänner och mitt gamla intresse, målning.",
        (
            ("Jag kontaktar en vän i veckan", ("Vi skriver en lista över vänner",)),
            ("Jag målar igen", ("Besök på konstmuseet tillsammans",)),
        ),
        "",
    ),
    DemoClient(
        "Olli",
        "Laaksonen-Hyvärinen",
        "220387-977K",
        "050 404 4040",
        "fi",
        10,
        codes.PHASE_START,
        "Haluan oppia hoitamaan omat asiani ilman että ne kasautuvat ja ahdistavat.",
        (("Avaan postini viikoittain", ("Postipäivä maanantaisin yhdessä",)),),
        "",
    ),
)

STREETS = ("Koivukuja", "Rantatie", "Myllykatu", "Puistokatu")
MEETING_PLACES = {
    codes.MEETING_HOME_VISIT: "Asiakkaan koti",
    codes.MEETING_WALK: "Keskuspuisto",
    codes.MEETING_CAFE: "Kahvila Aalto",
    codes.MEETING_OFFICE: "Sosiaalitoimisto, Kauppakatu 12",
    codes.MEETING_REMOTE: "Teams",
    codes.MEETING_PHONE: "",
    codes.MEETING_ERRAND: "Kela, Hämeenkatu",
    codes.MEETING_NETWORK: "Terveysasema",
    codes.MEETING_OTHER: "Kirjasto",
}
NOTES = (
    "Käytiin läpi viikon kuulumiset. Asiakas kertoi onnistuneensa käymään kaupassa kahdesti.",
    "Kävelimme puistossa ja juttelimme tavoitteista. Asiakas oli hyvällä tuulella.",
    "Tehtiin yhdessä viikkojärjestys ja sovittiin pienet tehtävät ensi kertaan.",
    "Asiakas oli väsynyt; lyhyt tapaaminen. Sovittiin soitto ennen seuraavaa kertaa.",
    "Täytettiin lomakkeita yhdessä ja harjoiteltiin verkkoasiointia.",
    "Mentiin yhdessä asioimaan. Asiakas hoiti puhumisen itse, hienoa!",
)
AGREED = (
    "Asiakas pitää päiväkirjaa ja tuo sen mukaan.",
    "Seuraavalla kerralla tehdään budjetti.",
    "Asiakas käy kirjastossa ennen seuraavaa tapaamista.",
    "Lähdetään yhdessä ryhmään ensi viikolla.",
)
