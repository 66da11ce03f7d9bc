"""Amazigh (Berber) name pool, written by hand, most frequent first.

Why: many Moroccan and Algerian people carry Amazigh given and family names (Aït ...,
Ou..., Tiziri, Idir). Their civil-status records hold an Arabic-script form and a
French transcription; other countries respell the French transcription with their own
conventions, which :func:`~passerelle.synthetic.forms.respell_from_french` derives.

Row format: ``arabic|fr|extra;extra``.
"""

from __future__ import annotations

from passerelle.synthetic.forms import NameForms, parse_french_table

AMAZIGH_MALE: tuple[NameForms, ...] = parse_french_table(
    """
    لحسن|Lahcen|Lahsen;Lahssen
    موحا|Moha|Mouha
    يانيس|Yanis|Yannis
    إيدير|Idir|Yidir
    موحند|Mohand|Mohend
    حمو|Hammou|Hamou
    لحسين|Lhoussaine|Lhoussain;El Houssaine
    ميمون|Mimoun|Mimun
    امبارك|Mbarek|M'barek
    بوشعيب|Bouchaïb|Bouchaib
    أماياس|Amayas|Amaias
    أكسل|Aksel|Axel
    ماسينيسا|Massinissa|Masinissa
    يوبا|Youba|Yuba
    مزيان|Meziane|Mezian
    أمزيان|Ameziane|Amezian
    أغيلاس|Aghilas|Ghilas
    أرزقي|Arezki|Arezqi
    مقران|Mokrane|Moqrane
    لونيس|Lounès|Lounes
    بلعيد|Belaïd|Belaid
    أكلي|Akli|Aqli
    حدو|Haddou|Hadou
    عدي|Addi|Eddi
    زيري|Ziri|Zirri
    كسيلة|Koceila|Kusayla;Koseila
    يوغرطة|Jugurtha|Yugurten
    مازيغ|Mazigh|Mazig
    أيور|Ayour|Ayur
    أنير|Anir|Aneer
    إيزري|Izri|Izeri
    تاكفاريناس|Takfarinas|Tacfarinas
    أنزار|Anzar|Anzer
    سيفاكس|Syphax|Sifaks
    ماسين|Massin|Masin
    حماد|Hmad|Hammad
    """
)

AMAZIGH_FEMALE: tuple[NameForms, ...] = parse_french_table(
    """
    فاضمة|Fadma|Fadhma
    إطو|Itto|Ito
    يامنة|Yamna|Yamina
    كنزة|Kenza|Kenzah
    تيزيري|Tiziri|Thiziri
    ميمونة|Mimouna|Mimona
    تسعديت|Tassadit|Tassadite
    وردية|Ouardia|Wardia
    ديهيا|Dihya|Dyhia;Dihia
    كاهينة|Kahina|Kahena
    تينهينان|Tinhinane|Tin Hinan
    ثيليلي|Thilleli|Tilelli;Tilleli
    طاوس|Taous|Tawes
    دهبية|Dahbia|Dehbia
    جدجيقة|Djedjiga|Djedjigua
    نوارة|Nouara|Nuara
    تانينا|Tanina|Thanina
    سيليا|Sylia|Silya
    تانيرت|Tanirt|Tanirte
    تافات|Tafat|Tafate
    إيجة|Ijja|Ija
    تودرت|Toudert|Tudert
    تيفاوت|Tifaout|Tifawt
    إيزة|Iza|Izza
    """
)

AMAZIGH_FAMILY: tuple[NameForms, ...] = parse_french_table(
    """
    آيت علي|Aït Ali|Ait Ali;Ait-Ali;Aitali
    أمغار|Amghar|Amrhar;Amrar
    آيت سعيد|Aït Saïd|Ait Said;Aitsaid
    أوسعيد|Oussaïd|Oussaid;Ou Said
    آيت إبراهيم|Aït Brahim|Ait Brahim
    إزم|Izem|Izm
    آيت لحسن|Aït Lahcen|Ait Lahcen
    أوحدو|Ouhaddou|Ouhadou
    أوبها|Oubaha|Oubahha
    آيت حمو|Aït Hammou|Ait Hamou
    أوبراهيم|Oubrahim|Ou Brahim
    أوشن|Ouchen|Ouchène
    والي|Ouali|Wali
    أكيات|Akhiat|Akhyat
    أمزيل|Amzil|Amzile
    بودلال|Boudlal|Boudelal
    أبركان|Aberkane|Aberkan
    مزيان|Meziane|Mezian
    المقراني|Mokrani|El Mokrani
    حمادوش|Hamadouche|Hamadouch
    بلقاسم|Belkacem|Belkasem
    أكورام|Agouram|Agourram
    عمروش|Amrouche|Amrouch
    آيت مولود|Aït Mouloud|Ait Mouloud
    حدوش|Haddouch|Hadouch
    عزوز|Azzouz|Azouz
    عاشور|Achour|Achoure
    لونيسي|Lounici|Lounissi
    أوعمر|Ouamar|Ou Amar
    إيكن|Ikken|Iken
    أوحمو|Ouhammou|Ouhamou
    آيت باها|Aït Baha|Ait Baha
    آيت إيدير|Aït Idir|Ait Idir
    أوحسين|Ouhssine|Ouhsine
    أمالو|Amalou|Amallou
    آيت عمار|Aït Amar|Ait Amar
    أزواو|Azouaou|Azwaw
    آيت منصور|Aït Mansour|Ait Mansour
    آيت الحاج|Aït Lhadj|Ait El Hadj
    أوبلة|Oubella|Oubela
    أخموش|Akhmouch|Akhmouche
    """
)
