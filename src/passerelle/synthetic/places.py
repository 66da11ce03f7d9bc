"""Countries, cities and nationality mixes for synthetic people.

Why: place of birth and nationality weigh in matching as much as names, and they are
written differently too (Anvers / Antwerpen / Amberes / Antwerp; Tanger / Tánger /
Tangier / طنجة). Cities are real places, which is fine: only the combination of name,
date, place and document is random. Each city lists ``fr/es/nl/en/de[/ar]`` spellings
when they differ; capitals and large cities come first so they are drawn more often.

Nationality mixes per name-origin pool reflect the populations the four partner
agencies (France, Spain, Belgium, Morocco) record, including dual nationals and people
born in another country than the one issuing their passport.
"""

from __future__ import annotations

from passerelle.synthetic.forms import CONVENTIONS

City = tuple[str, str, str, str, str, str]
"""One city as written under each of :data:`~passerelle.synthetic.forms.CONVENTIONS`."""


def _cities(text: str) -> tuple[City, ...]:
    out: list[City] = []
    for item in text.replace("\n", ",").split(","):
        entry = item.strip()
        if not entry:
            continue
        parts = [p.strip() for p in entry.split("/")]
        if len(parts) == 1:
            parts = parts * 6
        elif len(parts) == 5:
            parts.append(parts[0])
        if len(parts) != len(CONVENTIONS):
            raise ValueError(f"bad city {entry!r}")
        out.append((parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]))
    return tuple(out)


CITIES: dict[str, tuple[City, ...]] = {
    "MA": _cities("""
        Casablanca/Casablanca/Casablanca/Casablanca/Casablanca/الدار البيضاء,
        Tanger/Tánger/Tanger/Tangier/Tanger/طنجة, Fès/Fez/Fez/Fez/Fès/فاس,
        Rabat/Rabat/Rabat/Rabat/Rabat/الرباط,
        Marrakech/Marrakech/Marrakesh/Marrakesh/Marrakesch/مراكش,
        Tétouan/Tetuán/Tetouan/Tetouan/Tétouan/تطوان, Nador/Nador/Nador/Nador/Nador/الناظور,
        Oujda/Uchda/Oujda/Oujda/Oujda/وجدة, Meknès/Mequinez/Meknes/Meknes/Meknès/مكناس,
        Al Hoceïma/Alhucemas/Al Hoceima/Al Hoceima/Al Hoceïma/الحسيمة,
        Agadir/Agadir/Agadir/Agadir/Agadir/أكادير,
        Kénitra/Kenitra/Kenitra/Kenitra/Kénitra/القنيطرة,
        Larache/Larache/Larache/Larache/Larache/العرائش,
        Beni Mellal/Beni Melal/Beni Mellal/Beni Mellal/Beni Mellal/بني ملال"""),
    "FR": _cities("""
        Paris, Marseille/Marsella/Marseille/Marseille/Marseille, Lyon, Toulouse,
        Lille/Lille/Rijsel/Lille/Lille, Nice/Niza/Nice/Nice/Nizza,
        Strasbourg/Estrasburgo/Straatsburg/Strasbourg/Straßburg,
        Bordeaux/Burdeos/Bordeaux/Bordeaux/Bordeaux, Montpellier, Nantes, Roubaix, Saint-Denis,
        Grenoble, Mulhouse/Mulhouse/Mulhouse/Mulhouse/Mülhausen,
        Perpignan/Perpiñán/Perpignan/Perpignan/Perpignan"""),
    "BE": _cities("""
        Bruxelles/Bruselas/Brussel/Brussels/Brüssel, Anvers/Amberes/Antwerpen/Antwerp/Antwerpen,
        Liège/Lieja/Luik/Liège/Lüttich, Gand/Gante/Gent/Ghent/Gent, Charleroi,
        Schaerbeek/Schaerbeek/Schaarbeek/Schaerbeek/Schaerbeek,
        Malines/Malinas/Mechelen/Mechelen/Mecheln, Louvain/Lovaina/Leuven/Leuven/Löwen,
        Namur/Namur/Namen/Namur/Namur, Bruges/Brujas/Brugge/Bruges/Brügge, Hasselt,
        Mons/Mons/Bergen/Mons/Bergen, Vilvorde/Vilvoorde/Vilvoorde/Vilvoorde/Vilvoorde"""),
    "ES": _cities("""
        Madrid, Barcelona/Barcelona/Barcelona/Barcelona/Barcelona,
        Valence/Valencia/Valencia/Valencia/Valencia, Séville/Sevilla/Sevilla/Seville/Sevilla,
        Málaga/Málaga/Málaga/Malaga/Málaga, Ceuta/Ceuta/Ceuta/Ceuta/Ceuta/سبتة,
        Melilla/Melilla/Melilla/Melilla/Melilla/مليلية,
        Saragosse/Zaragoza/Zaragoza/Zaragoza/Saragossa, Murcie/Murcia/Murcia/Murcia/Murcia, Bilbao,
        Alicante, Almería/Almería/Almería/Almeria/Almería, Gérone/Girona/Girona/Girona/Girona,
        Cordoue/Córdoba/Córdoba/Cordoba/Córdoba"""),
    "NL": _cities("""
        Amsterdam, Rotterdam, La Haye/La Haya/Den Haag/The Hague/Den Haag, Utrecht, Eindhoven"""),
    "DE": _cities("""
        Berlin/Berlín/Berlijn/Berlin/Berlin, Cologne/Colonia/Keulen/Cologne/Köln,
        Munich/Múnich/München/Munich/München, Hambourg/Hamburgo/Hamburg/Hamburg/Hamburg,
        Francfort/Fráncfort/Frankfurt/Frankfurt/Frankfurt am Main, Düsseldorf"""),
    "DZ": _cities("""
        Alger/Argel/Algiers/Algiers/Algier/الجزائر, Oran/Orán/Oran/Oran/Oran/وهران,
        Constantine/Constantina/Constantine/Constantine/Constantine/قسنطينة,
        Tlemcen/Tremecén/Tlemcen/Tlemcen/Tlemcen/تلمسان, Annaba/Annaba/Annaba/Annaba/Annaba/عنابة,
        Tizi Ouzou/Tizi Uzu/Tizi Ouzou/Tizi Ouzou/Tizi Ouzou/تيزي وزو"""),
    "TN": _cities("""
        Tunis/Túnez/Tunis/Tunis/Tunis/تونس, Sfax/Sfax/Sfax/Sfax/Sfax/صفاقس,
        Sousse/Susa/Sousse/Sousse/Sousse/سوسة, Bizerte/Bizerta/Bizerte/Bizerte/Biserta/بنزرت"""),
    "EG": _cities("""
        Le Caire/El Cairo/Caïro/Cairo/Kairo/القاهرة,
        Alexandrie/Alejandría/Alexandrië/Alexandria/Alexandria/الإسكندرية"""),
    "SY": _cities("""
        Damas/Damasco/Damascus/Damascus/Damaskus/دمشق, Alep/Alepo/Aleppo/Aleppo/Aleppo/حلب,
        Homs/Homs/Homs/Homs/Homs/حمص"""),
    "IQ": _cities("""
        Bagdad/Bagdad/Bagdad/Baghdad/Bagdad/بغداد, Bassora/Basora/Basra/Basra/Basra/البصرة,
        Erbil/Erbil/Erbil/Erbil/Erbil/أربيل"""),
    "LB": _cities("""
        Beyrouth/Beirut/Beiroet/Beirut/Beirut/بيروت,
        Tripoli/Trípoli/Tripoli/Tripoli/Tripoli/طرابلس"""),
    "MR": _cities("Nouakchott/Nuakchot/Nouakchott/Nouakchott/Nouakchott/نواكشوط"),
    "SN": _cities("""
        Dakar, Thiès, Saint-Louis/San Luis/Saint-Louis/Saint-Louis/Saint-Louis, Ziguinchor"""),
    "ML": _cities("Bamako, Kayes, Sikasso, Ségou"),
    "GN": _cities("Conakry/Conakri/Conakry/Conakry/Conakry, Kankan, Labé"),
    "CI": _cities("Abidjan/Abiyán/Abidjan/Abidjan/Abidjan, Bouaké, Yamoussoukro"),
    "CM": _cities("Douala, Yaoundé/Yaundé/Yaoundé/Yaoundé/Jaunde"),
    "TR": _cities("""
        Istanbul/Estambul/Istanboel/Istanbul/Istanbul, Ankara, Izmir/Esmirna/Izmir/Izmir/Izmir,
        Bursa, Konya, Kayseri, Gaziantep"""),
    "GB": _cities("Londres/Londres/Londen/London/London, Birmingham, Manchester, Leeds, Glasgow"),
    "IE": _cities("Dublin/Dublín/Dublin/Dublin/Dublin, Cork"),
    "US": _cities("New York/Nueva York/New York/New York/New York, Chicago, Boston"),
    "IT": _cities("""
        Rome/Roma/Rome/Rome/Rom, Milan/Milán/Milaan/Milan/Mailand,
        Naples/Nápoles/Napels/Naples/Neapel, Turin/Turín/Turijn/Turin/Turin,
        Palerme/Palermo/Palermo/Palermo/Palermo, Bologne/Bolonia/Bologna/Bologna/Bologna"""),
    "PT": _cities("""
        Lisbonne/Lisboa/Lissabon/Lisbon/Lissabon, Porto/Oporto/Porto/Porto/Porto, Braga"""),
    "PL": _cities("""
        Varsovie/Varsovia/Warschau/Warsaw/Warschau, Cracovie/Cracovia/Krakau/Kraków/Krakau,
        Wrocław/Breslavia/Wrocław/Wrocław/Breslau, Łódź/Lodz/Łódź/Łódź/Lodz"""),
    "RU": _cities("""
        Moscou/Moscú/Moskou/Moscow/Moskau,
        Saint-Pétersbourg/San Petersburgo/Sint-Petersburg/Saint Petersburg/Sankt Petersburg,
        Kazan"""),
    "UA": _cities("""
        Kyiv/Kiev/Kyiv/Kyiv/Kiew, Kharkiv/Járkov/Charkiv/Kharkiv/Charkiw,
        Odessa/Odesa/Odessa/Odesa/Odessa, Lviv"""),
    "RS": _cities("Belgrade/Belgrado/Belgrado/Belgrade/Belgrad, Novi Sad, Niš"),
    "HR": _cities("Zagreb, Split"),
    "BA": _cities("Sarajevo, Tuzla, Mostar"),
    "BG": _cities("Sofia/Sofía/Sofia/Sofia/Sofia, Plovdiv, Varna"),
    "CZ": _cities("Prague/Praga/Praag/Prague/Prag, Brno"),
    "VN": _cities("""
        Hanoï/Hanói/Hanoi/Hanoi/Hanoi,
        Hô Chi Minh-Ville/Ciudad Ho Chi Minh/Ho Chi Minhstad/Ho Chi Minh City/Ho-Chi-Minh-Stadt,
        Haïphong/Haiphong/Haiphong/Haiphong/Haiphong, Da Nang"""),
    "CN": _cities("""
        Pékin/Pekín/Peking/Beijing/Peking, Shanghai/Shanghái/Shanghai/Shanghai/Schanghai, Wenzhou,
        Canton/Cantón/Kanton/Guangzhou/Kanton"""),
    "KR": _cities("Séoul/Seúl/Seoel/Seoul/Seoul, Busan"),
    "JP": _cities("Tokyo/Tokio/Tokio/Tokyo/Tokio, Osaka"),
    "IN": _cities("""
        Bombay/Bombay/Bombay/Mumbai/Mumbai, New Delhi/Nueva Delhi/New Delhi/New Delhi/Neu-Delhi,
        Calcutta/Calcuta/Calcutta/Kolkata/Kalkutta, Amritsar, Chennai"""),
    "PK": _cities("Karachi/Karachi/Karachi/Karachi/Karatschi, Lahore, Islamabad, Rawalpindi"),
    "BD": _cities("Dacca/Daca/Dhaka/Dhaka/Dhaka, Sylhet, Chittagong"),
    "LK": _cities("Colombo"),
    "AR": _cities("Buenos Aires, Rosario, Mendoza"),
    "CO": _cities("""
        Bogota/Bogotá/Bogota/Bogotá/Bogotá, Medellín/Medellín/Medellín/Medellin/Medellín, Cali"""),
    "EC": _cities("Quito, Guayaquil"),
    "CH": _cities("""
        Genève/Ginebra/Genève/Geneva/Genf, Zurich/Zúrich/Zürich/Zurich/Zürich, Lausanne"""),
    "AT": _cities("Vienne/Viena/Wenen/Vienna/Wien, Graz"),
    "CA": _cities("""
        Montréal/Montreal/Montreal/Montreal/Montreal, Québec/Quebec/Quebec/Quebec City/Québec"""),
}

#: Romanisation convention of each document-issuing country (Belgium is decided per person).
COUNTRY_CONVENTION: dict[str, str] = {
    "FR": "fr", "MA": "fr", "DZ": "fr", "TN": "fr", "SN": "fr", "ML": "fr", "GN": "fr",
    "CI": "fr", "CM": "fr", "MR": "fr", "LB": "fr", "CH": "fr", "CA": "fr",
    "ES": "es", "AR": "es", "CO": "es", "EC": "es",
    "NL": "nl", "DE": "de", "AT": "de",
}
DEFAULT_CONVENTION = "en"

Weighted = tuple[tuple[str, int], ...]

#: Nationality mixes per name-origin pool: "MA" or dual "MA+FR", with integer weights.
NATIONALITIES: dict[str, Weighted] = {
    "arabic": (("MA", 38), ("FR", 14), ("BE", 9), ("ES", 8), ("DZ", 6), ("TN", 3),
               ("NL", 3), ("MA+FR", 5), ("MA+BE", 4), ("MA+ES", 3), ("FR+DZ", 2),
               ("MA+NL", 1), ("TN+FR", 1), ("EG", 1), ("SY", 2), ("IQ", 1), ("LB", 1),
               ("MR", 1), ("DE", 1), ("GB", 1)),
    "amazigh": (("MA", 45), ("DZ", 15), ("FR", 12), ("BE", 8), ("ES", 5), ("NL", 5),
                ("MA+BE", 4), ("MA+FR", 3), ("DZ+FR", 3)),
    "french": (("FR", 82), ("BE", 10), ("CH", 2), ("FR+BE", 2), ("FR+ES", 1), ("MA+FR", 1),
               ("FR+IT", 1), ("CA", 1)),
    "iberian": (("ES", 75), ("PT", 6), ("AR", 3), ("CO", 4), ("EC", 3), ("FR", 3),
                ("ES+FR", 2), ("ES+MA", 1), ("BE", 2), ("ES+CO", 1)),
    "dutch": (("BE", 72), ("NL", 24), ("BE+NL", 2), ("FR", 2)),
    "west_african": (("SN", 20), ("ML", 15), ("GN", 12), ("CI", 12), ("CM", 5),
                     ("FR", 16), ("BE", 6), ("ES", 6), ("SN+FR", 3), ("ML+FR", 3),
                     ("MA", 2)),
    "turkish": (("TR", 45), ("BE", 15), ("FR", 12), ("DE", 12), ("NL", 8), ("TR+BE", 4),
                ("TR+DE", 4)),
    "english": (("GB", 65), ("IE", 12), ("US", 12), ("GB+ES", 3), ("GB+FR", 3), ("IE+GB", 2),
                ("BE", 3)),
    "german": (("DE", 75), ("AT", 9), ("CH", 6), ("BE", 5), ("DE+FR", 3), ("DE+ES", 2)),
    "italian": (("IT", 70), ("FR", 10), ("BE", 10), ("CH", 3), ("IT+BE", 4), ("IT+FR", 3)),
    "slavic": (("PL", 25), ("RU", 12), ("UA", 14), ("RS", 9), ("HR", 5), ("BA", 7),
               ("BG", 8), ("CZ", 6), ("BE", 5), ("FR", 5), ("ES", 2), ("PL+BE", 2)),
    "east_asian": (("VN", 30), ("CN", 35), ("KR", 6), ("JP", 4), ("FR", 15), ("BE", 4),
                   ("ES", 4), ("VN+FR", 2)),
    "south_asian": (("IN", 30), ("PK", 25), ("BD", 12), ("LK", 4), ("GB", 12), ("ES", 7),
                    ("FR", 4), ("BE", 3), ("PK+GB", 3)),
}

#: Where people of each pool are born when not in a country of their nationality.
HOMELANDS: dict[str, Weighted] = {
    "arabic": (("MA", 70), ("DZ", 12), ("TN", 6), ("EG", 3), ("SY", 4), ("IQ", 2),
               ("LB", 2), ("MR", 1)),
    "amazigh": (("MA", 75), ("DZ", 25)),
    "french": (("FR", 90), ("BE", 6), ("MA", 2), ("SN", 2)),
    "iberian": (("ES", 70), ("AR", 8), ("CO", 8), ("EC", 6), ("PT", 8)),
    "dutch": (("BE", 70), ("NL", 30)),
    "west_african": (("SN", 30), ("ML", 25), ("GN", 18), ("CI", 17), ("CM", 10)),
    "turkish": (("TR", 100),),
    "english": (("GB", 75), ("IE", 15), ("US", 10)),
    "german": (("DE", 85), ("AT", 10), ("CH", 5)),
    "italian": (("IT", 100),),
    "slavic": (("PL", 30), ("UA", 20), ("RU", 15), ("RS", 10), ("BA", 10), ("BG", 10),
               ("HR", 5)),
    "east_asian": (("VN", 45), ("CN", 45), ("KR", 6), ("JP", 4)),
    "south_asian": (("IN", 45), ("PK", 35), ("BD", 15), ("LK", 5)),
}
