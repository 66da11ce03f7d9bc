"""Name pools other than Arabic and Amazigh, written by hand, most frequent first.

Why: the people an officer in France, Spain, Belgium or Morocco records come from
everywhere, and matching must stay fair and accurate for all of them. Each pool is a
linguistic pool used only to draw plausible names; it is never a person attribute.
Lists are ordered by rough frequency so Zipf weighting makes common names (Martin,
García, Garcia, Peeters, Nguyen, Kumar, Diallo, Yılmaz, Smith, Maria...) collide.
Names keep their native diacritics (García, Yılmaz, Müller, Wiśniewski); names
transliterated from Cyrillic list five spellings ``fr/es/nl/en/de``.
"""

from __future__ import annotations

from passerelle.synthetic.forms import NameForms, parse_world_list

Pool = tuple[tuple[NameForms, ...], tuple[NameForms, ...], tuple[NameForms, ...]]
"""(male given names, female given names, family names)."""

_P = parse_world_list

FRENCH: Pool = (
    _P("""Jean, Philippe, Michel, Nicolas, Alain, Patrick, Christophe, Pierre, Éric,
    Laurent, Frédéric, Stéphane, David, Julien, Sébastien, Thomas, Olivier, Pascal,
    Daniel, Thierry, Alexandre, Vincent, François, Antoine, Romain, Maxime, Guillaume,
    Jérôme, Marc, Lucas, Hugo, Louis, Théo, Enzo, Kévin, Anthony, Jean-Pierre, Bruno,
    Cédric, Gilles, Benjamin, Mathieu, Jacques, Didier, Arthur, Raphaël"""),
    _P("""Marie, Nathalie, Isabelle, Sylvie, Catherine, Sandrine, Christine, Valérie,
    Stéphanie, Sophie, Céline, Julie, Camille, Léa, Manon, Emma, Chloé, Sarah, Laura,
    Aurélie, Émilie, Caroline, Élodie, Pauline, Marine, Audrey, Mélanie, Virginie,
    Delphine, Claire, Hélène, Anne, Martine, Françoise, Véronique, Nicole, Louise, Jade,
    Inès, Jeanne, Marie-Claire, Océane, Clémence, Margaux, Lucie, Agathe"""),
    _P("""Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau,
    Simon, Laurent, Lefebvre, Michel, Garcia, David, Bertrand, Roux, Vincent, Fournier,
    Morel, Girard, André, Lefèvre, Mercier, Dupont, Lambert, Bonnet, François,
    Martinez, Legrand, Garnier, Faure, Rousseau, Blanc, Guérin, Muller, Henry, Roussel,
    Nicolas, Perrin, Morin, Mathieu, Clément, Gauthier, Dumont, Lopez, Fontaine,
    Chevalier, Robin, Masson, Sanchez, Gérard, Nguyen, Boyer, Denis, Lemaire, Duval,
    Joly, Gautier, Roger, Roche, Roy, Noël, Meyer, Lucas, Meunier, Jean, Perez,
    Marchand, Dufour, Blanchard, Marie, Barbier, Brun, Dumas, Brunet, Schmitt, Leroux,
    Colin, Fernandez, Pierre, Renard, Arnaud, Rolland, Caron, Aubert, Giraud, Leclerc,
    Vidal, Bourgeois, Renaud, Lemoine, Picard, Gaillard, Philippe, Leclercq, Lacroix"""),
)

IBERIAN: Pool = (
    _P("""Antonio, José, Manuel, Francisco, David, Juan, Javier, Daniel, José Antonio,
    Francisco Javier, José Luis, Carlos, Jesús, Alejandro, Miguel, José Manuel, Rafael,
    Pedro, Ángel, Pablo, Sergio, Fernando, Jorge, Luis, Alberto, Álvaro, Juan Carlos,
    Adrián, Diego, Raúl, Enrique, Ramón, Vicente, Iván, Rubén, Óscar, Andrés, Joaquín,
    Santiago, Hugo, João, Mario, Marcos, Gonzalo, Ignacio"""),
    _P("""María Carmen, María, Carmen, Ana María, Laura, María Pilar, María Dolores,
    Isabel, Josefa, Ana, Cristina, Marta, María Teresa, Lucía, Francisca, Antonia,
    Dolores, Sara, Paula, Elena, María Ángeles, Raquel, Rosa María, Pilar, Manuela,
    Concepción, Mercedes, Beatriz, Nuria, Silvia, Julia, Irene, Patricia, Rocío,
    Andrea, Rosario, Teresa, Alba, Montserrat, Sofía, Inés, Mónica, Maria João"""),
    _P("""García, Rodríguez, González, Fernández, López, Martínez, Sánchez, Pérez,
    Gómez, Martín, Jiménez, Ruiz, Hernández, Díaz, Moreno, Muñoz, Álvarez, Romero,
    Alonso, Gutiérrez, Navarro, Torres, Domínguez, Vázquez, Ramos, Gil, Ramírez,
    Serrano, Blanco, Molina, Morales, Suárez, Ortega, Delgado, Castro, Ortiz, Rubio,
    Marín, Sanz, Núñez, Iglesias, Medina, Garrido, Cortés, Castillo, Santos, Lozano,
    Guerrero, Cano, Prieto, Méndez, Cruz, Calvo, Gallego, Vidal, León, Márquez,
    Herrera, Peña, Flores, Cabrera, Campos, Vega, Fuentes, Carrasco, Díez, Caballero,
    Reyes, Nieto, Aguilar, Pascual, Santana, Herrero, Lorenzo, Montero, Hidalgo,
    Giménez, Ibáñez, Ferrer, Durán, Silva, Pereira, Ferreira, Costa, Oliveira"""),
)

DUTCH: Pool = (
    _P("""Jan, Luc, Marc, Peter, Dirk, Johan, Koen, Bart, Tom, Kris, Patrick, Geert, Wim,
    Filip, Stefan, Pieter, Jef, Joris, Wouter, Jeroen, Thomas, Lars, Arne, Bram, Sander,
    Niels, Ruben, Jens, Maarten, Stijn, Kevin, Dries, Jonas, Simon, Ward, Lucas, Daan,
    Sem, Milan, Rik, Hendrik, Willem, Joost, Erik, Gert-Jan"""),
    _P("""Maria, An, Els, Katrien, Sofie, Lies, Inge, Ann, Hilde, Marleen, Ria, Greet,
    Veerle, Sarah, Lotte, Eva, Lisa, Emma, Julie, Laura, Elke, Nele, Tine, Kim, Evi,
    Lien, Hanne, Fien, Marie, Anouk, Sanne, Femke, Lieke, Anke, Ilse, Karin, Mieke,
    Leen, Jolien, Charlotte, Ellen, Saskia, Anne-Marie"""),
    _P("""Peeters, Janssens, Maes, Jacobs, Mertens, Willems, Claes, Goossens, Wouters,
    De Smet, Vermeulen, Van den Broeck, Hermans, Michiels, Pauwels, Van Damme, De Clercq,
    Martens, Claeys, Smets, Aerts, Verstraeten, Desmet, De Backer, Lambrechts,
    Van de Velde, Cools, Verhoeven, Stevens, De Vos, Coppens, Verbruggen, Van Dyck,
    Segers, Bogaerts, Wuyts, Hendrickx, Vandenberghe, Vermeersch, Van Acker, De Wilde,
    Geerts, Thys, Baert, Verschueren, Lemmens, De Jong, Jansen, De Vries, Van den Berg,
    Bakker, Visser, Smit, Meijer, De Boer, Mulder, De Groot, Bos, Vos, Peters,
    Hendriks, Van Leeuwen, Dekker, Brouwer, De Wit, Dijkstra, Van der Linden"""),
)

WEST_AFRICAN: Pool = (
    _P("""Mamadou, Moussa, Ibrahima, Amadou, Abdoulaye, Ousmane, Souleymane, Boubacar,
    Aliou, Cheikh, Modou, Lamine, Seydou, Bakary, Issa, Adama, Oumar, Sékou, Youssouf,
    Idrissa, Alassane, Babacar, Demba, Samba, Malick, Ibrahim, Djibril, Kouassi, Kofi,
    Yao, Koffi, Aboubacar, Fodé, Mahamadou, Siaka, Salif, Daouda, Yacouba, Hamidou,
    Papa, Ismaïla, Assane, Pape Moussa, Kalilou, Mory"""),
    _P("""Fatoumata, Aminata, Mariama, Aïssatou, Kadiatou, Awa, Fanta, Mariam, Oumou,
    Ramatoulaye, Hawa, Nafissatou, Bintou, Coumba, Ndèye, Khady, Fatou, Astou, Sokhna,
    Mame Diarra, Rokhaya, Dieynaba, Safiatou, Djénéba, Assitan, Korotoumou, Salimata,
    Maïmouna, Nabou, Binta, Aissata, Ramata, Ténin, Néné, Kadidia, Habibatou, Aya,
    Affoué, Adjoua, Akissi, Amenan, Adama"""),
    _P("""Diallo, Traoré, Coulibaly, Diop, Camara, Keita, Koné, Ndiaye, Sow, Bah, Barry,
    Sylla, Touré, Cissé, Konaté, Diarra, Dembélé, Sangaré, Fofana, Kouyaté, Doumbia,
    Sissoko, Diakité, Fall, Gueye, Faye, Seck, Mbaye, Sarr, Ba, Kane, Diouf, Niang,
    Thiam, Sall, Diagne, Ouattara, Bamba, Kouassi, Koffi, Kouamé, N'Diaye, Samaké,
    Dramé, Tounkara, Soumaré, Condé, Sidibé, Baldé, Bangoura, Kanté, Kaba, Mendy,
    Gomis, Sané, Ndour, Diatta, Tall, Niakaté, Dicko, Cissoko, Mbengue, Ndao"""),
)

TURKISH: Pool = (
    _P("""Mehmet, Mustafa, Ahmet, Ali, Hüseyin, Hasan, İbrahim, İsmail, Osman, Yusuf,
    Murat, Ömer, Ramazan, Halil, Süleyman, Mahmut, Salih, Fatih, Kadir, Emre, Hakan,
    Adem, Kemal, Yaşar, Metin, Orhan, Burak, Serkan, Cem, Emin, Selim, Volkan, Erkan,
    Engin, Tolga, Onur, Barış, Uğur, Enes, Yunus, Emir, Kerem, Arda, Mert"""),
    _P("""Fatma, Ayşe, Emine, Hatice, Zeynep, Elif, Meryem, Şerife, Zehra, Sultan,
    Hanife, Merve, Özlem, Yasemin, Hacer, Esra, Fadime, Rabia, Havva, Zeliha, Büşra,
    Sevgi, Gülsüm, Songül, Esma, Dilek, Kübra, Ebru, Leyla, Derya, Tuğba, Hülya, Gül,
    Nurcan, Sibel, Melek, Ayten, Filiz, Cansu, Ecrin, Defne, Asya, Nur"""),
    _P("""Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Yıldırım, Öztürk, Aydın, Özdemir,
    Arslan, Doğan, Kılıç, Aslan, Çetin, Kara, Koç, Kurt, Özkan, Şimşek, Polat, Özcan,
    Korkmaz, Çakır, Yavuz, Can, Acar, Şen, Aktaş, Güler, Yalçın, Güneş, Bozkurt,
    Bulut, Keskin, Ünal, Turan, Özer, Uçar, Tekin, Aksoy, Ateş, Kaplan, Avcı, Sarı,
    Taş, Işık, Erdem, Karaca, Yüksel"""),
)

ENGLISH: Pool = (
    _P("""David, John, Paul, Michael, Andrew, James, Mark, Richard, Peter, Robert,
    Stephen, Christopher, Daniel, Thomas, Matthew, William, Anthony, Ian, Simon, Steven,
    Gary, Jonathan, Martin, Kevin, Lee, Darren, Neil, Alan, Jack, Oliver, Harry,
    George, Charlie, Jacob, Liam, Ryan, Sean, Connor, Patrick, Joseph, Samuel,
    Benjamin, Luke, Declan"""),
    _P("""Susan, Sarah, Elizabeth, Margaret, Helen, Karen, Julie, Emma, Claire, Nicola,
    Jennifer, Mary, Patricia, Linda, Deborah, Jacqueline, Lisa, Amanda, Rachel, Laura,
    Rebecca, Michelle, Emily, Jessica, Sophie, Charlotte, Hannah, Lauren, Amy, Chloe,
    Olivia, Amelia, Jane, Ann, Catherine, Victoria, Louise, Joanne, Kelly, Samantha,
    Siobhan, Aoife"""),
    _P("""Smith, Jones, Williams, Taylor, Brown, Davies, Evans, Wilson, Thomas, Johnson,
    Roberts, Robinson, Thompson, Wright, Walker, White, Edwards, Hughes, Green, Hall,
    Lewis, Harris, Clarke, Jackson, Wood, Turner, Martin, Cooper, Hill, Ward, Morris,
    Moore, Clark, Lee, King, Baker, Harrison, Morgan, Allen, James, Scott, Phillips,
    Watson, Davis, Parker, Price, Bennett, Young, Griffiths, Mitchell, Kelly, Cook,
    Carter, Richardson, Bailey, Collins, Bell, Murphy, Miller, O'Brien, O'Connor,
    Byrne, Ryan, McDonald, MacLeod"""),
)

GERMAN: Pool = (
    _P("""Peter, Michael, Thomas, Andreas, Wolfgang, Klaus, Jürgen, Stefan, Christian,
    Uwe, Werner, Hans, Frank, Bernd, Matthias, Markus, Alexander, Martin, Dieter,
    Helmut, Jörg, Manfred, Ralf, Sven, Tobias, Jan, Daniel, Florian, Sebastian, Lukas,
    Jonas, Felix, Leon, Maximilian, Paul, Niklas, Tim, Dirk, Holger, Torsten, Günter,
    Horst, Karl-Heinz, Hans-Peter"""),
    _P("""Ursula, Monika, Petra, Elisabeth, Sabine, Renate, Helga, Karin, Brigitte,
    Ingrid, Erika, Andrea, Gisela, Claudia, Susanne, Gabriele, Christa, Christine,
    Hannelore, Birgit, Stefanie, Julia, Anna, Katharina, Lena, Laura, Lea, Leonie,
    Sarah, Lisa, Hannah, Mia, Sophie, Marie, Johanna, Jana, Nicole, Sandra, Anja,
    Kerstin, Heike, Silke, Tanja, Jutta"""),
    _P("""Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz,
    Hoffmann, Schäfer, Koch, Bauer, Richter, Klein, Wolf, Schröder, Neumann, Schwarz,
    Zimmermann, Braun, Krüger, Hofmann, Hartmann, Lange, Schmitt, Werner, Schmitz,
    Krause, Meier, Lehmann, Schmid, Schulze, Maier, Köhler, Herrmann, König, Walter,
    Mayer, Huber, Kaiser, Fuchs, Peters, Lang, Scholz, Möller, Weiß, Jung, Hahn,
    Schubert, Vogel, Friedrich, Keller, Günther, Frank, Berger, Winkler, Roth, Beck,
    Lorenz, Baumann, Franke, Albrecht, Schuster, Simon, Ludwig, Böhm, Winter, Kraus,
    Martin, Schumacher, Krämer, Vogt, Stein, Jäger, Otto, Sommer, Groß, Seidel"""),
)

ITALIAN: Pool = (
    _P("""Giuseppe, Giovanni, Antonio, Mario, Luigi, Francesco, Angelo, Vincenzo,
    Pietro, Salvatore, Carlo, Franco, Domenico, Bruno, Paolo, Michele, Giorgio, Aldo,
    Sergio, Luciano, Marco, Alessandro, Andrea, Luca, Stefano, Roberto, Davide, Matteo,
    Lorenzo, Simone, Federico, Riccardo, Fabio, Massimo, Daniele, Emanuele, Gabriele,
    Tommaso, Leonardo, Nicola, Enrico, Alberto, Gian Luca"""),
    _P("""Maria, Anna, Giuseppina, Rosa, Angela, Giovanna, Teresa, Lucia, Carmela,
    Caterina, Francesca, Anna Maria, Antonietta, Carla, Elena, Concetta, Rita,
    Margherita, Franca, Paola, Giulia, Chiara, Sara, Martina, Valentina, Alessia,
    Federica, Silvia, Elisa, Laura, Sofia, Aurora, Alice, Ginevra, Emma, Giorgia,
    Beatrice, Greta, Simona, Barbara, Roberta, Daniela, Cristina, Monica"""),
    _P("""Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino,
    Greco, Bruno, Gallo, Conti, De Luca, Mancini, Costa, Giordano, Rizzo, Lombardi,
    Moretti, Barbieri, Fontana, Santoro, Mariani, Rinaldi, Caruso, Ferrara, Galli,
    Martini, Leone, Longo, Gentile, Martinelli, Vitale, Lombardo, Serra, Coppola,
    De Santis, D'Angelo, Marchetti, Parisi, Villa, Conte, Ferraro, Ferri, Fabbri,
    Bianco, Marini, Grasso, Valentini, Messina, Sala, De Angelis, Gatti, Pellegrini,
    Palumbo, Sanna, Farina, Rizzi, Monti, Cattaneo, Morelli, Amato, Silvestri"""),
)

SLAVIC: Pool = (
    _P("""Piotr, Krzysztof, Andrzej, Tomasz, Paweł, Michał, Marcin, Jakub, Łukasz,
    Aleksandr/Aleksandr/Aleksandr/Aleksandr/Alexander,
    Sergueï/Serguéi/Sergej/Sergey/Sergej, Dmitri/Dmitri/Dmitri/Dmitry/Dmitri,
    Ivan, Nikolaï/Nikolái/Nikolaj/Nikolay/Nikolai,
    Vladimir/Vladímir/Vladimir/Vladimir/Wladimir, Oleksandr/Oleksandr/Oleksandr/Oleksandr/Oleksandr,
    Andriy/Andrí/Andrij/Andriy/Andrij, Volodymyr/Volodímir/Volodymyr/Volodymyr/Wolodymyr,
    Mykola, Milan, Nikola, Dragan, Goran, Zoran, Marko, Stefan, Georgi, Dimitar, Jan,
    Jiří, Petr, Pavel, Josef, Tomáš, Luka, Filip, Miroslav, Bogdan, Igor,
    Oleg, Iouri/Yuri/Joeri/Yuri/Juri, Mikhaïl/Mijaíl/Michail/Mikhail/Michail, Emir,
    Adnan, Mirza"""),
    _P("""Anna, Maria, Katarzyna, Małgorzata, Agnieszka, Barbara, Ewa, Krystyna,
    Elżbieta, Joanna, Magdalena, Monika, Olga, Natalia,
    Tatiana/Tatiana/Tatjana/Tatyana/Tatjana, Elena/Yelena/Jelena/Yelena/Jelena,
    Svetlana/Svetlana/Svetlana/Svetlana/Swetlana, Irina,
    Ekaterina/Yekaterina/Jekaterina/Yekaterina/Jekaterina, Ioulia/Yulia/Joelia/Yulia/Julija,
    Oksana, Olena, Ivana, Jelena, Milica, Ana, Marija, Dragana, Snežana, Vesna,
    Ivanka, Petra, Jana, Lucie, Eva, Tereza, Zuzana, Daria/Daria/Darja/Darya/Darja,
    Anastasia/Anastasia/Anastasija/Anastasiya/Anastassija, Amra, Lejla, Sofia"""),
    _P("""Nowak, Kowalski, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski,
    Zieliński, Szymański, Woźniak, Dąbrowski, Kozłowski, Jankowski, Mazur,
    Ivanov/Ivanov/Ivanov/Ivanov/Iwanow, Smirnov/Smirnov/Smirnov/Smirnov/Smirnow,
    Kuznetsov/Kuznetsov/Koeznetsov/Kuznetsov/Kusnezow, Popov/Popov/Popov/Popov/Popow,
    Petrov/Petrov/Petrov/Petrov/Petrow, Sokolov/Sokolov/Sokolov/Sokolov/Sokolow,
    Chevtchenko/Shevchenko/Sjevtsjenko/Shevchenko/Schewtschenko,
    Kovalenko/Kovalenko/Kovalenko/Kovalenko/Kowalenko,
    Bondarenko/Bondarenko/Bondarenko/Bondarenko/Bondarenko,
    Tkatchenko/Tkachenko/Tkatsjenko/Tkachenko/Tkatschenko, Jovanović, Petrović,
    Nikolić, Marković, Đorđević, Stojanović, Horvat, Kovačević, Babić, Marić, Novak,
    Jurić, Hodžić, Begić, Hadžić, Delić, Georgiev, Dimitrov, Todorov, Novák, Svoboda,
    Novotný, Dvořák, Černý, Procházka, Kučera, Veselý, Horák, Němec, Pokorný,
    Kravtchouk/Kravchuk/Kravtsjoek/Kravchuk/Krawtschuk, Melnyk, Moroz, Lysenko"""),
)

EAST_ASIAN: Pool = (
    _P("""Van Minh, Minh, Anh, Duc, Hung, Tuan, Van Long, Hai, Nam, Quang, Thanh, Son,
    Dung, Hoang, Huy, Khoa, Van Thanh, Wei, Jun, Hao, Lei, Jie, Yang, Tao, Ming, Qiang,
    Jian, Bo, Yong, Chao, Peng, Feng, Gang, Hui, Xin, Haoran, Zihao, Jin, Min-jun,
    Ji-hoon, Seo-jun, Hiroshi, Takashi, Kenji"""),
    _P("""Thi Lan, Thi Hoa, Thi Mai, Thi Huong, Linh, Trang, Ngoc, Thu, Hanh, Hoa, Lan,
    Mai, Huong, Thao, Nhung, Hien, Thuy, Yen, Nga, Li Na, Fang, Xiuying, Jing, Ying,
    Yan, Min, Mei, Hong, Xia, Juan, Lian, Yu, Ting, Hua, Ping, Na, Li, Ji-woo,
    Seo-yeon, Ji-yeon, Yuki, Aiko"""),
    _P("""Nguyen, Tran, Le, Pham, Hoang, Huynh, Phan, Vu, Vo, Dang, Bui, Do, Ho, Ngo,
    Duong, Ly, Wang, Li, Zhang, Liu, Chen, Yang, Huang, Zhao, Wu, Zhou, Xu, Sun, Ma,
    Zhu, Hu, Guo, He, Lin, Gao, Luo, Zheng, Liang, Xie, Song, Tang, Kim, Park, Choi,
    Jeong, Sato, Suzuki, Takahashi"""),
)

SOUTH_ASIAN: Pool = (
    _P("""Mohammad, Rahul, Amit, Raj, Sanjay, Vijay, Sunil, Anil, Rajesh, Suresh,
    Ramesh, Arjun, Rohit, Vikram, Imran, Asif, Kamran, Bilal, Usman, Zubair, Tariq,
    Naveed, Faisal, Shahid, Abdul, Arif, Rakib, Sohel, Rashed, Mizanur, Harpreet,
    Gurpreet, Sandeep, Deepak, Ravi, Krishna, Aditya, Nikhil, Pradeep, Ajay, Saif,
    Hamza, Kiran, Prakash"""),
    _P("""Priya, Sunita, Anita, Pooja, Neha, Kavita, Deepa, Lakshmi, Sita, Asha, Rekha,
    Meena, Divya, Anjali, Shreya, Nisha, Ayesha, Sana, Fatima, Nazia, Saima, Rubina,
    Shabnam, Farzana, Nasreen, Nusrat, Sabina, Rukhsana, Tahmina, Sumaiya, Simran,
    Manpreet, Parveen, Shazia, Bushra, Hina, Amna, Zainab, Mehwish, Kiran"""),
    _P("""Kumar, Singh, Khan, Sharma, Patel, Shah, Ahmed, Hussain, Ali, Begum, Akhtar,
    Iqbal, Hossain, Rahman, Islam, Das, Gupta, Verma, Reddy, Rao, Nair, Pillai, Iyer,
    Mehta, Joshi, Chowdhury, Mishra, Yadav, Malik, Butt, Chaudhry, Rana, Bhatti, Mirza,
    Qureshi, Sheikh, Siddiqui, Raza, Mahmood, Aslam, Perera, Fernando, Jayasuriya,
    Bandara, Gill, Sandhu, Dhillon, Sidhu, Kaur"""),
)

WORLD_POOLS: dict[str, Pool] = {
    "french": FRENCH,
    "iberian": IBERIAN,
    "dutch": DUTCH,
    "west_african": WEST_AFRICAN,
    "turkish": TURKISH,
    "english": ENGLISH,
    "german": GERMAN,
    "italian": ITALIAN,
    "slavic": SLAVIC,
    "east_asian": EAST_ASIAN,
    "south_asian": SOUTH_ASIAN,
}
