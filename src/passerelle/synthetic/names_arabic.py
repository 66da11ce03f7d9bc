"""Arabic (mostly Maghrebi) name pool, written by hand, most frequent first.

Why: this is the hard case for cross-border matching. Arabic script is written without
short vowels, and each country romanises it its own way: French ``ou`` / ``ch`` / ``kh``
/ ``dj``, Spanish ``u`` / ``j`` (for kh) / ``y`` (for j), Dutch ``oe`` / ``sj`` / ``ch``,
English ``u`` / ``sh`` / ``kh``, German ``u`` / ``sch`` / ``ch`` / ``dsch``. Articles and
particles (El / Al- / nothing; Ben / Ben- / Bin, fused or not; Abd al- / Abdel) vary too.

Row format: ``arabic|fr|es|nl|en|de|extra;extra`` where extras are further spellings
met in registers (Moroccan civil status, consular records, older French usage).
Only names are listed here; persons are random combinations, hence fictional.
Surnames strongly associated with notorious individuals are deliberately left out.
"""

from __future__ import annotations

from passerelle.synthetic.forms import NameForms, parse_script_table

ARABIC_MALE: tuple[NameForms, ...] = parse_script_table(
    """
محمد|Mohamed|Mohamed|Mohamed|Mohammed|Mohammed|Muhammad;Mohammad;Mohamad;Mouhamed;Mhamed
أحمد|Ahmed|Ahmed|Ahmed|Ahmad|Ahmad|Hmad
يوسف|Youssef|Yusef|Jusuf|Yusuf|Jussuf|Youssouf;Yousef;Youssif
عبد الله|Abdellah|Abdelah|Abdellah|Abdullah|Abdullah|Abdallah;Abd Allah
مصطفى|Mustapha|Mustafa|Moestafa|Mustafa|Mustafa|Moustapha;Mostafa
خالد|Khaled|Jalid|Chalid|Khalid|Chalid|Khalid;Kaled
عمر|Omar|Omar|Omar|Umar|Omar|Oumar;Omer
إبراهيم|Brahim|Ibrahim|Ibrahim|Ibrahim|Ibrahim|Ibrahim
حسن|Hassan|Hasan|Hassan|Hasan|Hassan|Hacen;Hassane
رشيد|Rachid|Rachid|Rasjid|Rashid|Raschid|Rachide;Rashed
سعيد|Saïd|Saíd|Saïd|Said|Said|Said;Saaid;Sayed
كريم|Karim|Karim|Karim|Karim|Karim|Kareem;Krim
عبد السلام|Abdeslam|Abdesalam|Abdeslam|Abd al-Salam|Abdessalam|Abdessalam;Abdesselam;Abdelsalam
نور الدين|Noureddine|Nuredin|Noereddine|Nur al-Din|Nureddin|Nourdine;Nordine;Nour-Eddine
إسماعيل|Ismaïl|Ismael|Ismaïl|Ismail|Ismail|Ismail;Smail
عبد الرحمن|Abderrahmane|Abderrahman|Abderrahman|Abd al-Rahman|Abdurrahman|Abdelrahman;Abderahmane
حمزة|Hamza|Hamza|Hamza|Hamza|Hamsa|Hamzah
بلال|Bilal|Bilal|Bilal|Bilal|Bilal|Billal;Belal
أيوب|Ayoub|Ayub|Ajoeb|Ayyub|Ajub|Ayoube;Ayyoub
أمين|Amine|Amin|Amine|Amin|Amin|Emin
مهدي|Mehdi|Mehdi|Mehdi|Mahdi|Mehdi|Medhi
سفيان|Soufiane|Sufian|Soefian|Sufyan|Sufian|Sofiane;Soufyan
زكرياء|Zakaria|Zacarías|Zakaria|Zakariya|Sakaria|Zakariae;Zacharia
عادل|Adil|Adel|Adil|Adil|Adel|Adel
نبيل|Nabil|Nabil|Nabil|Nabil|Nabil|Nabile
طارق|Tarik|Tarik|Tarik|Tariq|Tarik|Tarek;Tariq
شكيب|Chakib|Chakib|Sjakib|Shakib|Schakib|Chekib
جمال|Jamal|Yamal|Djamal|Jamal|Dschamal|Djamel;Jamel
عبد القادر|Abdelkader|Abdelkader|Abdelkader|Abd al-Qadir|Abdelkader|Abdelkadir;Abdel Kader
هشام|Hicham|Hisham|Hisjam|Hisham|Hischam|Hichem
وليد|Walid|Ualid|Walid|Walid|Walid|Oualid
ياسين|Yassine|Yasin|Jassin|Yasin|Jassin|Yacine;Yassin
عثمان|Othmane|Otman|Otman|Uthman|Osman|Otmane;Outhmane
إدريس|Driss|Idris|Idris|Idris|Idris|Idriss
عبد العزيز|Abdelaziz|Abdelaziz|Abdelaziz|Abd al-Aziz|Abdulaziz|Abdel Aziz
جواد|Jaouad|Yauad|Djawad|Jawad|Dschawad|Jawad;Djaouad
منير|Mounir|Munir|Moenir|Munir|Munir|Mnir
فؤاد|Fouad|Fuad|Foead|Fuad|Fuad|Fouade
أنس|Anas|Anas|Anas|Anas|Anas|Anass
صلاح الدين|Salaheddine|Salahedin|Salaheddine|Salah al-Din|Salahuddin|Salah-Eddine;Salahdine
محمد أمين|Mohamed Amine|Mohamed Amin|Mohamed Amine|Muhammad Amin|Mohammed Amin|Mohamed-Amine
رضوان|Redouane|Reduan|Redoean|Ridwan|Ridwan|Redwan;Radouane
عبد الحق|Abdelhak|Abdelhak|Abdelhak|Abd al-Haqq|Abdelhak|Abdelhaq
حسين|Houcine|Husein|Hoessein|Husayn|Hussein|Hussein;Houssine
علي|Ali|Ali|Ali|Ali|Ali|Aly
سليمان|Slimane|Suleiman|Soeleiman|Sulayman|Suleiman|Soulaimane;Sulaiman
عبد الكريم|Abdelkrim|Abdelkarim|Abdelkarim|Abd al-Karim|Abdulkarim|Abdelkarim
إلياس|Ilyas|Ilias|Ilias|Ilyas|Iljas|Elias;Ilias
هارون|Haroun|Harun|Haroen|Harun|Harun|Haroune
بدر|Badr|Badr|Badr|Badr|Badr|Bader
عماد|Imad|Imad|Imad|Imad|Imad|Emad
    """
)

ARABIC_FEMALE: tuple[NameForms, ...] = parse_script_table(
    """
فاطمة|Fatima|Fátima|Fatima|Fatimah|Fatima|Fatma;Fatema;Fadma
خديجة|Khadija|Jadiya|Chadidja|Khadijah|Chadidscha|Khadidja;Kadija
مريم|Meryem|Mariam|Meriam|Maryam|Marjam|Myriam;Meriem;Mariam
عائشة|Aïcha|Aixa|Aïsja|Aisha|Aischa|Aicha;Aysha
زينب|Zineb|Zainab|Zeineb|Zaynab|Seinab|Zeinab;Zainab
نعيمة|Naïma|Naima|Naïma|Naima|Naima|Naima;Naeema
سعاد|Souad|Suad|Soead|Suad|Suad|Souade
حنان|Hanane|Hanan|Hanan|Hanan|Hanan|Hanan
سلمى|Salma|Salma|Salma|Salma|Salma|Selma
إيمان|Imane|Iman|Imane|Iman|Iman|Imen
نادية|Nadia|Nadia|Nadia|Nadiya|Nadja|Nadiya
سميرة|Samira|Samira|Samira|Samira|Samira|Sameera
ليلى|Leïla|Leila|Leila|Layla|Laila|Leila;Laila
أسماء|Asmae|Asma|Asma|Asma|Asma|Asmaa
وفاء|Wafae|Wafa|Wafa|Wafa|Wafa|Wafaa;Ouafae
سناء|Sanae|Sana|Sanae|Sana|Sana|Sanaa
هدى|Houda|Huda|Hoeda|Huda|Huda|Houdha
نورة|Noura|Nura|Noera|Nura|Nura|Nora
كريمة|Karima|Karima|Karima|Karima|Karima|Kerima
سكينة|Soukaina|Sukaina|Soekaina|Sukayna|Sukaina|Soukayna;Sakina
ياسمين|Yasmine|Yasmin|Jasmin|Yasmin|Jasmin|Yasmina;Jasmine
رشيدة|Rachida|Rachida|Rasjida|Rashida|Raschida|Rachida
مليكة|Malika|Malika|Malika|Malika|Malika|Malikah
لطيفة|Latifa|Latifa|Latifa|Latifah|Latifa|Lateefa
حياة|Hayat|Hayat|Hajat|Hayat|Hajat|Hayate
فاطمة الزهراء|Fatima Zahra|Fátima Zahra|Fatima Zahra|Fatimah al-Zahra|Fatima Sahra|Fatima-Zahra
شيماء|Chaimae|Chaima|Sjaima|Shaima|Schaima|Chaima;Shaimaa
نجاة|Najat|Nayat|Nadjat|Najat|Nadschat|Nadjat
جميلة|Jamila|Yamila|Djamila|Jamila|Dschamila|Djamila
سارة|Sara|Sara|Sara|Sarah|Sara|Sarah
هاجر|Hajar|Hayar|Hadjar|Hajar|Hadschar|Hadjer
إكرام|Ikram|Ikram|Ikram|Ikram|Ikram|Ikrame
غزلان|Ghizlane|Guizlan|Ghizlane|Ghizlan|Ghislan|Ghizlan;Rhizlane
بشرى|Bouchra|Bushra|Boesjra|Bushra|Buschra|Bouchra
أمينة|Amina|Amina|Amina|Aminah|Amina|Aminah
خولة|Khaoula|Jaula|Chaula|Khawla|Chaula|Khawla
لبنى|Loubna|Lubna|Loebna|Lubna|Lubna|Loubna
رجاء|Rajae|Raya|Radjaa|Raja|Radscha|Rajaa
دنيا|Dounia|Dunia|Doenja|Dunya|Dunja|Donia
زهرة|Zohra|Zahra|Zohra|Zahra|Sahra|Zahra
سلوى|Salwa|Salua|Salwa|Salwa|Salwa|Saloua
نوال|Nawal|Naual|Nawal|Nawal|Nawal|Naoual
ربيعة|Rabia|Rabia|Rabia|Rabiah|Rabia|Rabiaa
    """
)

ARABIC_FAMILY: tuple[NameForms, ...] = parse_script_table(
    """
العمراني|El Amrani|El Amrani|El Amrani|Al-Amrani|El-Amrani|Amrani;Elamrani;al-Amrani
بن علي|Benali|Ben Ali|Benali|Ben Ali|Ben Ali|Ben-Ali;Bin Ali
العلوي|El Alaoui|El Alaui|El Alaoui|Al-Alawi|El-Alaoui|Alaoui;Alaui;Alawi
الإدريسي|El Idrissi|El Idrisi|El Idrissi|Al-Idrisi|El-Idrissi|Idrissi;Idrisi
بنعبد الله|Benabdellah|Ben Abdelah|Benabdellah|Bin Abdullah|Ben Abdallah|Ben Abdellah;Benabdallah
التازي|Tazi|Tazi|Tazi|Al-Tazi|Tasi|Ettazi;El Tazi
الفاسي|El Fassi|El Fasi|El Fassi|Al-Fasi|El-Fassi|Fassi;Elfassi
بنجلون|Benjelloun|Benyelun|Bendjelloen|Benjelloun|Bendschellun|Ben Jelloun;Benjeloun
الحسني|El Hassani|El Hasani|El Hassani|Al-Hasani|El-Hassani|Hassani;Elhassani
المنصوري|El Mansouri|El Mansuri|El Mansoeri|Al-Mansuri|El-Mansuri|Mansouri;Elmansouri
الشرقاوي|Cherkaoui|Cherkaui|Sjerkaoui|Al-Sharqawi|Scherkaui|Charkaoui;Sharqawi;Cherqaoui
بوزيد|Bouzid|Buzid|Boezid|Bu Zayd|Busid|Bou Zid;Bouzide
السعيدي|Saidi|Saidi|Saïdi|Al-Saidi|Saidi|Essaidi;Es-Saidi;Saïdi
الزياني|Ziani|Ziani|Ziani|Al-Zayani|Siani|Zayani;Ezziani
حداد|Haddad|Hadad|Haddad|Haddad|Haddad|Hadded
بن عمر|Benamar|Ben Amar|Benamar|Bin Umar|Ben Amar|Ben Omar;Benomar
بوعزة|Bouazza|Buaza|Boeazza|Bu Azza|Buassa|Bouaza
الخطيب|El Khatib|El Jatib|El Chatib|Al-Khatib|El-Chatib|Khatib;Elkhatib
الرحماني|Rahmani|Rahmani|Rahmani|Al-Rahmani|Rachmani|Errahmani
بلحاج|Belhadj|Belhach|Belhadj|Bel Hajj|Belhadsch|Ben Hadj;Belhaj
بن موسى|Benmoussa|Ben Musa|Benmoesa|Bin Musa|Ben Mussa|Ben Moussa
الصديقي|Seddiki|Sediki|Seddiki|Al-Siddiqi|Seddiki|Siddiqi;Es-Seddiki
بنسعيد|Bensaïd|Ben Said|Bensaïd|Bin Said|Ben Said|Bensaid;Ben Saïd
العزوزي|El Azzouzi|El Azuzi|El Azzoezi|Al-Azzuzi|El-Assusi|Azzouzi;Elazzouzi
الكبير|El Kbir|El Kebir|El Kabir|Al-Kabir|El-Kebir|Kebir;Elkbir
المرابط|El Mrabet|El Mrabet|El Mrabet|Al-Murabit|El-Mrabet|Mrabet;Elmrabet
الوزاني|Ouazzani|Uazani|Wazzani|Al-Wazzani|Wasani|El Ouazzani;Wazani
بناني|Bennani|Benani|Bennani|Bannani|Bennani|Benani
الشاوي|Chaoui|Chaui|Sjaoui|Al-Shawi|Schaui|Echaoui;Shawi
حجي|Hajji|Hayi|Hadji|Hajji|Hadschi|Hadji;Haji
بوطيب|Boutaïb|Butaib|Boetaib|Bu Tayyib|Butaib|Boutaib;Bou Taib
الحمداوي|Hamdaoui|Hamdaui|Hamdaoui|Al-Hamdawi|Hamdaui|El Hamdaoui;Hamdawi
الطاهري|Tahiri|Tahiri|Tahiri|Al-Tahiri|Tahiri|Ettahiri;Et-Tahiri
الأنصاري|El Ansari|El Ansari|El Ansari|Al-Ansari|El-Ansari|Ansari;Elansari
القاسمي|El Kasmi|El Kasmi|El Kasmi|Al-Qasimi|El-Kasmi|Kasmi;Qasimi
بوعلام|Boualem|Bualem|Boealem|Bu Allam|Bualem|Boualam
مسعودي|Messaoudi|Mesaudi|Messaoedi|Masudi|Messaudi|Masoudi
الناصري|Naciri|Nasiri|Nasiri|Al-Nasiri|Nasiri|Nassiri;Ennaciri
الشريف|Cherif|Cherif|Sjerif|Al-Sharif|Scherif|Chérif;Sharif;Echerif
بن يوسف|Benyoussef|Ben Yusef|Benjoesef|Bin Yusuf|Ben Jussuf|Ben Youssef
الغزالي|El Ghazali|El Gazali|El Ghazali|Al-Ghazali|El-Ghasali|Ghazali
بن عيسى|Benaïssa|Ben Aisa|Benaïssa|Bin Isa|Ben Aissa|Benaissa;Ben Aïssa
زروال|Zeroual|Zerual|Zeroeal|Zarwal|Serual|Zerwal
عمراوي|Amraoui|Amraui|Amraoui|Amrawi|Amraui|Amraoi
بوسعيد|Boussaïd|Busaid|Boessaid|Bu Said|Bussaid|Boussaid
الراضي|Radi|Radi|Radi|Al-Radi|Radi|Erradi;Er-Radi
المالكي|El Malki|El Malki|El Malki|Al-Maliki|El-Malki|Malki;Maliki
الجبلي|Jebli|Yebli|Djebli|Al-Jabali|Dschebli|El Jebli
التمسماني|Temsamani|Temsamani|Temsamani|Al-Tamsamani|Temsamani|Tamsamani
الكتاني|Kettani|Ketani|Kettani|Al-Kattani|Kettani|El Kettani
    """
)
