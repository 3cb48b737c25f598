"""Ideas for the demo's round 1, written as participants at a town's citizens' forum would write them."""

# (table number 1-6, language code, text as the participant wrote it, German translation or None)
DEMO_IDEAS: list[tuple[int, str, str, str | None]] = [
    # Table 1
    (1, "de", "Eine Willkommensmappe für alle Neuen: wichtige Adressen, Ärzte, Kitas, Vereine, Notrufnummern. Am besten in mehreren Sprachen und auch als App.", None),
    (1, "de", "Kitaplätze!!! Ohne Kita kein Sprachkurs für die Mütter und ohne Sprachkurs keine Arbeit.", None),
    (1, "de", "Beim Bürgerbüro anmelden ist das Erste was man macht. Warum sitzt da nicht gleich jemand, der einem die Stadt erklärt und Infos mitgibt?", None),
    (1, "de", "Sportverein: Beitrag im ersten halben Jahr erlassen, damit die Kinder sofort mitmachen können. Fußball versteht jeder.", None),
    (1, "de", "Nachbarn sollten einfach mal klingeln und Hallo sagen. Klingt banal, macht aber sooo viel aus", None),
    (1, "de", "Wie findet man hier überhaupt einen Hausarzt, der noch Patienten nimmt? Geht ja schon uns Alteingesessenen so...", None),
    (1, "de", "Praktikumsbörse mit Herdecker Betrieben – Handwerk, Pflege, Einzelhandel. Reinschnuppern ohne großen Papierkram.", None),
    (1, "de", "Der Wohnungsmarkt ist leergefegt und viele Vermieter haben Vorbehalte. Die Stadt könnte vermitteln und Ansprechpartner sein, wenn es mal Probleme gibt.", None),
    (1, "ar", "نحتاج إلى دورات لغة في المساء أو في عطلة نهاية الأسبوع، لأن كثيرين منا يعملون في النهار ولا يستطيعون الحضور.", "Wir brauchen Sprachkurse am Abend oder am Wochenende, weil viele von uns tagsüber arbeiten und nicht kommen können."),
    (1, "tr", "Ben 20 yıl önce Herdecke'ye geldim, o zaman kimse yardım etmedi. Şimdi yeni gelenlere gönüllü olarak yardım etmek istiyorum.", "Ich bin vor 20 Jahren nach Herdecke gekommen, damals hat mir niemand geholfen. Jetzt möchte ich den Neuen ehrenamtlich helfen."),
    (1, "uk", "Дуже важливо, щоб дипломи визнавали швидше. Я медсестра з 15-річним досвідом, а тут працюю на складі.", "Es ist sehr wichtig, dass Abschlüsse schneller anerkannt werden. Ich bin Krankenschwester mit 15 Jahren Berufserfahrung, und hier arbeite ich im Lager."),
    # Table 2
    (2, "de", "Ein Sprachcafé, z.B. in der Stadtbücherei, einmal die Woche. Einfach quatschen, ohne Lehrer, ohne Prüfung, mit Kaffee und Kuchen.", None),
    (2, "de", "Jobcenter und Ausländerbehörde reden nicht miteinander, man rennt vom einen zum anderen. Ein gemeinsamer Termin wär super.", None),
    (2, "de", "Mehr Infos in einfacher Sprache! Die Briefe vom Amt versteht ja nicht mal meine Mutter, und die ist hier geboren.", None),
    (2, "de", "Ehrenamtliche brauchen auch Unterstützung: Fortbildungen, Austausch, mal ein Dankeschön. Viele von 2015 sind inzwischen ausgebrannt.", None),
    (2, "de", "Spielplätze und Grünflächen im Viertel aufwerten, da treffen sich die Familien sowieso. Ein paar Bänke mehr an der Ruhr wären auch schön.", None),
    (2, "ar", "أتمنى أن يكون هناك شخص يرافق العائلات الجديدة في الأسابيع الأولى، إلى البلدية وإلى الطبيب والمدرسة.", "Ich wünsche mir, dass es jemanden gibt, der neue Familien in den ersten Wochen begleitet – zum Rathaus, zum Arzt und zur Schule."),
    (2, "tr", "Çocuklara ödev yardımı lazım. Biz veliler her zaman yardım edemiyoruz, okuldaki konular bizim için de zor.", "Die Kinder brauchen Hausaufgabenhilfe. Wir Eltern können nicht immer helfen, der Schulstoff ist auch für uns schwer."),
    (2, "uk", "Де знайти інформацію про житло? Ми вже пів року живемо в гуртожитку, а знайти квартиру просто неможливо.", "Wo findet man Informationen über Wohnungen? Wir wohnen schon seit einem halben Jahr in einer Gemeinschaftsunterkunft, und eine Wohnung zu finden ist einfach unmöglich."),
    (2, "en", "Honestly the hardest part is making friends. People are polite but you rarely get invited anywhere. Maybe a 'dinner with your neighbours' evening?", "Ehrlich gesagt ist das Schwierigste, Freunde zu finden. Die Leute sind höflich, aber man wird selten irgendwo eingeladen. Vielleicht ein Abend „Essen mit den Nachbarn“?"),
    # Table 3
    (3, "de", "Patenschaften! Eine Herdecker Familie begleitet eine neue Familie im ersten Jahr. Hat bei uns in der Kirchengemeinde super geklappt.", None),
    (3, "de", "Die Anerkennung von Abschlüssen dauert ewig, in der Zeit verlernen die Leute ihren Beruf. Übergangsjobs in der eigenen Branche ermöglichen.", None),
    (3, "de", "deutschkurse auch mit kinderbetreuung anbieten, sonst können viele frauen garnicht teilnehmen", None),
    (3, "de", "Was ist mit denen, die nicht wegen Flucht kommen? Fachkräfte, Studierende, Leute aus Bayern ;) Die brauchen auch ne Willkommenskultur.", None),
    (3, "de", "Gemischte Belegung bei Neubauten, keine Ecken wo nur Geflüchtete wohnen. Die Wohnungsbaugesellschaften mit ins Boot holen.", None),
    (3, "de", "Eine Übersicht aller Angebote an einem Ort. Es gibt so viel in Herdecke, aber keiner weiß davon – nicht mal wir Ehrenamtlichen.", None),
    (3, "de", "Azubis mit Migrationsgeschichte als Vorbilder in die Schulen schicken. Die erzählen das besser als jeder Berufsberater.", None),
    (3, "ar", "دليل ترحيب باللغة العربية فيه كل المعلومات المهمة: أين أسجّل سكني، أين أجد طبيب أطفال، وكيف أحصل على مكان في الروضة.", "Ein Willkommensleitfaden auf Arabisch mit allen wichtigen Informationen: wo ich meinen Wohnsitz anmelde, wo ich einen Kinderarzt finde und wie ich einen Kitaplatz bekomme."),
    (3, "ar", "الناس هنا لطفاء، لكن من الصعب التعرف عليهم. ربما احتفال في الشارع أو مهرجان للحي مرة في السنة؟", "Die Menschen hier sind nett, aber es ist schwer, sie kennenzulernen. Vielleicht ein Straßenfest oder ein Stadtteilfest einmal im Jahr?"),
    (3, "uk", "Моя донька ходить до школи, але на уроках їй дуже важко без мови. Потрібні додаткові заняття з німецької прямо в школі.", "Meine Tochter geht zur Schule, aber im Unterricht ist es ohne die Sprache sehr schwer für sie. Es braucht zusätzlichen Deutschunterricht direkt in der Schule."),
    # Table 4
    (4, "de", "Sprachcafe in der Stadtbücherei oder im Gemeindehaus – aber bitte auch abends, nicht nur vormittags wenn alle arbeiten", None),
    (4, "de", "Betriebe suchen Leute, Leute suchen Arbeit. Wieso kriegen wir das nicht zusammen? Eine Jobmesse hier vor Ort, nicht nur in Dortmund!", None),
    (4, "de", "Mehr Treffpunkte im Quartier, wo man ohne Konsumzwang zusammensitzen kann. Nicht jeder kann sich jedes Mal das Café leisten.", None),
    (4, "de", "Moschee und Kirchengemeinden könnten zusammen was machen, z.B. ein gemeinsames Fastenbrechen oder Erntedank für alle.", None),
    (4, "de", "Wer neu ist, kennt oft die Mülltrennung nicht. Klingt kleinlich, führt aber zu Streit im Haus. Einfach mal erklären, mit Bildern.", None),
    (4, "de", "Frauen gezielt ansprechen! Viele Mütter sind nur zu Hause und kriegen gar nichts mit. Frauenfrühstück, Schwimmkurs nur für Frauen usw.", None),
    (4, "de", "Schnelles WLAN in den Unterkünften – ohne Internet kein Online-Sprachkurs, keine Bewerbung, kein Kontakt zur Familie.", None),
    (4, "ar", "عندي شهادة هندسة من سوريا، لكني لا أعرف إلى أين أذهب لمعادلتها. أحتاج إلى شخص يشرح لي الخطوات.", "Ich habe einen Ingenieurabschluss aus Syrien, weiß aber nicht, wohin ich gehen muss, um ihn anerkennen zu lassen. Ich brauche jemanden, der mir die Schritte erklärt."),
    (4, "tr", "Haftada bir gün dil kafe olsa çok iyi olur. Kahve içip Almanca konuşuruz, Almanlar da biraz Türkçe öğrenir :)", "Ein Sprachcafé an einem Tag pro Woche wäre sehr gut. Wir trinken Kaffee und sprechen Deutsch, und die Deutschen lernen auch ein bisschen Türkisch :)"),
    (4, "en", "Please make the Ausländerbehörde reachable by email. I called like 20 times and nobody ever picked up.", "Bitte macht die Ausländerbehörde per E-Mail erreichbar. Ich habe so etwa 20-mal angerufen und nie ist jemand rangegangen."),
    # Table 5
    (5, "de", "Willkommenspaket beim Anmelden im Bürgerbüro: Stadtplan, Busfahrplan, Gutschein für Stadtbücherei und Freibad.", None),
    (5, "de", "Der Bus nach Hagen und Dortmund muss öfter und länger fahren. Die meisten Jobs sind nun mal nicht in Herdecke, und wer Schicht arbeitet kommt nachts nicht heim.", None),
    (5, "de", "Jugendliche brauchen Ausbildungsplätze und jemanden, der sie durch die Bewerbung begleitet. Ausbildungspaten!", None),
    (5, "de", "Ich bin selbst vor 3 Jahren hergezogen (aus Köln) und kenne bis heute kaum jemanden in meiner Straße. Das ist nicht nur ein Thema für Zugewanderte.", None),
    (5, "de", "Vereine müssen sich auch öffnen. Bei uns im Chor sind alle über 60 und alle von hier. Wir würden uns über Neue freuen, wissen aber nicht wie wir sie erreichen.", None),
    (5, "de", "Kleine Wohnungen fehlen total, und Große für Familien mit 4 Kindern auch. Alleinstehende und große Familien finden nix.", None),
    (5, "de", "Lesepaten für Grundschulkinder, z.B. Senioren die vorlesen. Win-win für beide Seiten!", None),
    (5, "ar", "أريد أن أعمل، لكن الجوب سنتر يرسلني دائمًا إلى دورات جديدة. أتمنى بدلًا من ذلك تدريبًا عمليًا في شركة.", "Ich möchte arbeiten, aber das Jobcenter schickt mich immer wieder in neue Kurse. Ich wünsche mir stattdessen ein Praktikum in einem Betrieb."),
    (5, "tr", "Bence en önemlisi iş. İş olunca dil de gelir, arkadaş da gelir.", "Meiner Meinung nach ist Arbeit das Wichtigste. Wenn man Arbeit hat, kommen die Sprache und auch die Freunde von selbst."),
    (5, "uk", "Було б добре мати наставника — когось із Гердеке, хто допоможе з листами, лікарями і просто щось порадить.", "Es wäre gut, einen Mentor zu haben – jemanden aus Herdecke, der bei Briefen und Arztbesuchen hilft und einfach mal einen Rat gibt."),
    (5, "en", "A simple welcome guide in English (and other languages!) with doctors, schools, sports clubs and who to ask for what. Would have saved me weeks.", "Ein einfacher Willkommensleitfaden auf Englisch (und in anderen Sprachen!) mit Ärzten, Schulen, Sportvereinen und wen man wofür fragen kann. Hätte mir Wochen erspart."),
    # Table 6
    (6, "de", "Sprachcafé!! Wo man einfach reden üben kann ohne Angst vor Fehlern.", None),
    (6, "de", "Migrantenorganisationen und Kulturvereine stärker einbinden, die wissen oft am besten was gebraucht wird.", None),
    (6, "de", "Neue sollten auch mitreden können, was in ihrem Viertel passiert. Nicht nur über sie reden, sondern mit ihnen.", None),
    (6, "de", "Betriebe könnten berufsbegleitende Sprachkurse anbieten. Deutsch für den Job lernt man am besten im Job.", None),
    (6, "de", "Mehr Ärzte, die andere Sprachen sprechen, oder Dolmetscher beim Arzt. Meine Nachbarin musste ihren 10jährigen Sohn zum Übersetzen mitnehmen.", None),
    (6, "de", "Bezahlbarer Wohnraum, auch für die, die schon lange hier sind. Sonst gibts Neid und das schadet allen.", None),
    (6, "ar", "أحب أن أتطوع في المدينة، مثلًا في الطبخ أو الترجمة، لكني لا أعرف إلى من أتوجه.", "Ich würde mich gern in der Stadt ehrenamtlich engagieren, zum Beispiel beim Kochen oder Übersetzen, aber ich weiß nicht, an wen ich mich wenden soll."),
    (6, "tr", "Camide her pazar öğleden sonra çay saati var, herkes davetli. Ama Almanlar bunu bilmiyor, daha çok duyurmamız lazım.", "In der Moschee gibt es jeden Sonntagnachmittag eine Teestunde, alle sind eingeladen. Aber die Deutschen wissen das nicht, wir müssen es mehr bekannt machen."),
    (6, "uk", "Для дітей потрібні гуртки та секції — спорт, музика. Тоді й батьки швидше знайомляться з іншими.", "Für die Kinder braucht es Freizeitgruppen und Sportangebote – Sport, Musik. Dann lernen auch die Eltern schneller andere kennen."),
]


# The online phase: people who could not come write to the questions from home
# (question number, language, text, German translation by the interpreters or None).
DEMO_ONLINE_IDEAS: list[tuple[int, str, str, str | None]] = [
    (1, "de", "Ich arbeite im Schichtdienst und konnte nicht kommen: Bitte Beratung auch am Samstag anbieten.", None),
    (1, "ar", "أقترح أن تكون هناك جولة تعريفية بالمدينة للقادمين الجدد مرة في الشهر.",
     "Ich schlage einmal im Monat eine Stadtführung für Neuzugezogene vor."),
    (1, "uk", "Потрібен чат або група, де новоприбулі можуть ставити запитання українською.",
     "Es braucht einen Chat oder eine Gruppe, in der Neuzugezogene auf Ukrainisch Fragen stellen können."),
    (2, "tr", "Mahallede kadınlar için yüzme saatleri olsun, o zaman çok kişi gelir.",
     "Im Viertel sollte es Schwimmzeiten für Frauen geben, dann kommen viele."),
    (2, "de", "Ein offener Spieleabend im Jugendzentrum, einmal im Monat, für Jung und Alt.", None),
    (3, "en", "Online forms of the town in simple language, with a short video in several languages.",
     "Online-Formulare der Stadt in einfacher Sprache, mit einem kurzen Video in mehreren Sprachen."),
]
