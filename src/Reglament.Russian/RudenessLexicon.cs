namespace Reglament.Russian;

/// <summary>The word lists the <see cref="RudenessDetector"/> works from. Every list is data: an application binds
/// it from configuration and may extend or replace any of them; <see cref="Default"/> is the tested set.
/// <para>Notation, in <see cref="Obscene"/>: <c>хуй</c> anywhere in a word; <c>^бля</c> at the start of a word;
/// <c>^+еба</c> at the start or after one of <see cref="Prefixes"/>; <c>=пздц</c> the whole word. Everywhere:
/// <c>stem(a|b|)</c> expands to alternatives; a leading <c>!</c> keeps a Cyrillic entry from being spelled in Latin
/// letters (where its Latin spelling is an ordinary English word, like "her" for <c>хер</c>). Entries are compared
/// after de-obfuscation: lower case, <c>ё</c> → <c>е</c>, <c>ъ</c> → <c>ь</c>, repeated letters collapsed.</para></summary>
public sealed partial class RudenessLexicon
{
    /// <summary>Obscene roots (мат) and the swear words the regulation also forbids (R10: "ругательства").</summary>
    public List<string> Obscene { get; set; } = [];

    /// <summary>Verbal prefixes that may precede a <c>^+</c> root: "за-", "вы-", "отъ-"…</summary>
    public List<string> Prefixes { get; set; } = [];

    /// <summary>Ordinary words that contain an obscene root: a match inside one of these is not a finding
    /// ("страхуй", "мандарин", "херсон").</summary>
    public List<string> Exceptions { get; set; } = [];

    /// <summary>Obscene words a masked spelling is matched against, nouns and adjectives by lemma (every form is matched;
    /// "=" keeps an entry as written): "х**ня" is "хуйня", "е**ная" is "ебаная", "бл*" is "бля".</summary>
    public List<string> MaskedForms { get; set; } = [];

    /// <summary>Words whose one sense is a demeaning name for a person, by lemma (every case and number is found):
    /// certain when aimed at the reader or the staff ("вы идиоты", "Остолопы, я просил…"), unsure when aimed at nobody
    /// in particular, nothing when aimed at the writer ("я идиот"), at attackers or other third parties.</summary>
    public List<string> Insults { get; set; } = [];

    /// <summary>Animals and other words with a literal sense, by lemma: an insult only aimed at someone named next to
    /// them ("вы бараны", "олени, у вас…"), never in a sentence about farming, pets, plants, goods (<see cref="LiteralDomains"/>).</summary>
    public List<string> WeakInsults { get; set; } = [];

    /// <summary>Objects and foods people are called, by lemma ("пни", "валенки", "тормоза"): only when said of someone
    /// ("ну вы и валенки", "ваши сотрудники — табуретки") or in an address that speaks to him.</summary>
    public List<string> ObjectInsults { get; set; } = [];

    /// <summary>Adjectives that insult a person they are said of, by lemma ("вы тупые", "косорукие ваши инженеры"), not
    /// a thing right after them ("тупой вопрос").</summary>
    public List<string> InsultAdjectives { get; set; } = [];

    /// <summary>People of the operator's side, by lemma ("админ", "инженер", "поддержка"): targets (every form), and
    /// with <c>недо-</c>/<c>горе-</c>/<c>псевдо-</c> an insult themselves ("недоадмины", "горе-специалисты").</summary>
    public List<string> Staff { get; set; } = [];

    /// <summary>Prefixes that make a <see cref="Staff"/> word an insult: "недо", "горе", "псевдо".</summary>
    public List<string> StaffInsultPrefixes { get; set; } = [];

    /// <summary>First parts of pejorative compounds that make any word after them a strong insult ("долбо": "долбоклюй",
    /// "долбонавт"); Cyrillic only, at least three letters after them.</summary>
    public List<string> InsultStarts { get; set; } = [];

    /// <summary>Third parties, by lemma ("хакер", "бот", "спамер", "клиент"): an insult nearer to one of them than to
    /// the reader is not aimed at the operator's people ("дебилы-боты", "какие-то уроды ддосят").</summary>
    public List<string> ThirdParties { get; set; } = [];

    /// <summary>Whether the learned insult model (<see cref="InsultModel.Default"/>) reads the sentences the lexicon found
    /// nothing certain in; its findings are unsure (<see cref="RudenessConfidence.Learned"/>), never a refusal.</summary>
    public bool UseInsultModel { get; set; } = true;

    /// <summary>The model's probability from which a sentence of 3 to 60 words, one of them Russian, is reported as
    /// a possible insult (chosen on corpora/rudeness/dev by leave-one-file-out: `reglament text train-insult-model --cv`).
    /// Session 9: 0.9 → 0.94 when the model was retrained on 2520 texts — it grew surer of the shape of a complaint, and
    /// the clean near misses "Кто у вас отвечает за почту?" and "Вы там что, совсем не следите за серверами?" scored 0.93.
    /// Session 13: 0.8 measured (heldout-6 rude recall 0.943 → 0.950, heldout-8 0.930 → 0.934) and not kept: the near
    /// miss «Кто у вас отвечает за почту?» becomes unsure again (RudenessLearnedModelTests).</summary>
    public double InsultModelThreshold { get; set; } = 0.94;

    /// <summary>Starts of words that, in the same sentence, make an animal or object word literal ("питомник",
    /// "ферм", "товар", "сорт").</summary>
    public List<string> LiteralDomains { get; set; } = [];

    /// <summary>Words that may stand between a target and what is said of it ("вы <em>все просто</em> бараны").</summary>
    public List<string> Glue { get; set; } = [];

    /// <summary>Demeaning remarks without an insult word, in any sentence (notation of <see cref="ImplicitInsults"/>):
    /// "объясню как пятилетнему", "вам бы коров пасти", "мой кот разбирается лучше". Unsure.</summary>
    public List<string> DemeaningRemarks { get; set; } = [];

    /// <summary>First names: a capitalised word next to one is a surname, not a word ("Анна Бляхер").</summary>
    public List<string> FirstNames { get; set; } = [];

    /// <summary>Words that aim an insult at the reader or at people: "вы", "ты", "ваш", "админы", "you".</summary>
    public List<string> Targets { get; set; } = [];

    /// <summary>Words that aim an insult at the writer: "я", "сам", "I", "myself".</summary>
    public List<string> Self { get; set; } = [];

    /// <summary>Endings of surnames and patronymics: a capitalised Cyrillic word with one of them in the middle of a
    /// sentence ("Козлова", "Олеговне"), or with a patronymic ending anywhere, is a name, not an insult or мат.</summary>
    public List<string> NameEndings { get; set; } = [];

    /// <summary>Which of <see cref="NameEndings"/> mark a patronymic: a name even at the start of a sentence.</summary>
    public List<string> PatronymicEndings { get; set; } = [];

    /// <summary>Starts of words that, right before or after an insult word, make it literal ("строительные козлы",
    /// «Козлы строительные складные»).</summary>
    public List<string> LiteralContext { get; set; } = [];

    /// <summary>Two-word dismissals, verb first, at the start of a clause: "п0шли вы", "пошёл ты" (insults).</summary>
    public List<string> Dismissals { get; set; } = [];

    /// <summary>Which of the target words address the reader ("вы", "у вас", "you"): they are no antecedent for a
    /// <see cref="ThirdPersons"/> pronoun ("мой сосед хвалил вас — он клоун" is not about the staff).</summary>
    public List<string> Reader { get; set; } = [];

    /// <summary>Third-person pronouns ("он", "они"): a target when a person of the other side ("ваш инженер",
    /// "поддержка" — a <see cref="Targets"/> word that is not <see cref="Reader"/>) is named up to
    /// <see cref="AntecedentWords"/> words before: "Ваш инженер Сергей ответил отпиской — он просто клоун".</summary>
    public List<string> ThirdPersons { get; set; } = [];

    /// <summary>How far back (in words) a third-person pronoun looks for the person it stands for.</summary>
    public int AntecedentWords { get; set; } = 40;

    /// <summary>Insults by implication: rhetorical questions that demean the reader or the staff. Each pattern is
    /// groups joined by <c> + </c>; every group must occur in one question (a sentence ending in "?") that names
    /// people (a <see cref="Targets"/> word), in any order, outside «quotes». A group lists forms separated by
    /// <c>,</c>, each with the <c>a(b|c)</c> notation; a trailing <c>*</c> makes a word a stem; words separated by
    /// a space must follow each other in one clause ("с мозгами"). Example: "вас по объявлению
    /// набирают?" — <c>объявлени* + набирают,набрали,…</c> (the hiring verb in the third person or passive, so
    /// "вы набираете по объявлению?" is a clean question about hiring).</summary>
    public List<string> ImplicitInsults { get; set; } = [];

    /// <summary>Basic skills ("читать", "думать") whose denial demeans: with one of <see cref="SkillDenials"/> up
    /// to four words away, in a question or after "не", addressed to people, and not followed by an object
    /// ("вы читать умеете?" is an insult, "вы умеете читать логи Exim?" a question).</summary>
    public List<string> Skills { get; set; } = [];

    /// <summary>Words that question or deny a skill: "умеете", "учили", "некому", "разучились".</summary>
    public List<string> SkillDenials { get; set; } = [];

    /// <summary>Words that may follow a denied skill without being its object: "или", "вообще", "вас", "там".</summary>
    public List<string> Particles { get; set; } = [];

    /// <summary>Confidence of an insult by implication (<see cref="ImplicitInsults"/>, <see cref="Skills"/>).</summary>
    public double ImplicitInsultConfidence { get; set; } = RudenessConfidence.ImplicitInsult;

    /// <summary>Confidence of a weak insult aimed at a third-person pronoun that stands for the staff ("ваш инженер
    /// Сергей… он просто клоун"). A weak insult next to a target word ("вы тупые", "ваши админы — бараны") is certain.</summary>
    public double ThirdPersonConfidence { get; set; } = RudenessConfidence.ThirdPersonInsult;

    /// <summary>How many words either side of an insult are searched for a target or the writer.</summary>
    public int ContextWords { get; set; } = 3;

    /// <summary>Longer words are identifiers, hashes or base64, not language.</summary>
    public int MaxWordLength { get; set; } = 32;

    private const string Hired =
        "набирают,набирали,набирает,набрали,набраны,набран,набирались,нанимают,нанимали,наняли,наняты";

    /// <summary>The tested default lists.</summary>
    public static RudenessLexicon Default => new()
    {
        Obscene =
        [
            // "~": what follows the root must read as Russian suffixes and endings ("хер-ня", "сук-ин-ы"), not as the rest of
            // a name or brand ("Хер-бала-йф", "Бля-хер", "Сука-буми"); Latin spellings always need it.
            "хуй", "хуе", "хуя", "^+хую", "хуи", "!=хули", "=хуле", "!~^хер", "!~^(на|по|ни|за|о|до)хер", "пизд", "писд", "=пздц", "=пзд", "=пздец", "=пиздц", "~^бля", "^(вы|по|раз|с)бляд",
            "^+еб(а|е|и|л|н|о|у|ш|ы|ч|к)", "=+еб", "(долбо|мудо|дуро)еб",
            // "йух вам, а не оплата": the root read backwards, a word of nothing else.
            "=йух",
            // "йобаный": ё written as heard, «йо».
            "!~^+йоб(а|и|н|у)",
            // Spelled as heard: "ниибацца", "заибали", "ибать"; "епта" (not "ёпрст", a euphemism).
            "~^+иба(ц|т|л)", "~^ниба(ц|т)", "=епта", "=ептыть", "=ебта",
            "^муда(к|ч|л|ц)", "^мудил", "^мудо(з|х|е|т)", "залуп", "!^манд(а|ы|е|у|ой|ою|ень|авош|ятин)",
            "^г(а|о)ндон", "пидор", "пидар", "^пидр", "педик", "~^шлюх", "~^сука", "~^суки", "~^суку", "~^сукой", "~^суке", "~^сукам",
            "~^сучар", "~^сучий", "~^сучье", "~^сучьи", "~^сучк", "~^сукин", "~^сцук", "~^сучар", "!~^херн", "говн", "гавн", "говен(ы|а|о)", "!жоп", "!дерьм", "!^сран", "!засра", "!обосра",
            "!^срать", "!^срач", "ублюд", "~^шалав", "~^курв", "=fck", "=fcking", "=fuk", "=fuked", "=fukd", "=fuking", "=fukin", "=fukken", "fuck", "^shit", "bulshit", "^bitch",
            "^cunt", "^ashole", "^dickhead", "^bastard", "^motherfuck", "^wanker",
        ],
        Prefixes = ["за", "вы", "у", "на", "от", "оть", "сь", "вь", "вз", "взь", "до", "по", "при", "раз", "разь", "рас", "под", "подь", "об", "обь", "пере", "недо", "из", "изь", "про", "о", "ни", "при", "осто"],
        Exceptions =
        [
            "страху", "страхуе", "мандарин", "мандат", "мандол", "мандал", "мандраж", "мандрагор", "мандибул", "мандж", "мандел",
            "бляха", "бляхи", "бляху", "бляшк", "бляхой", "херсон", "херман", "херес", "хулит", "хулил", "херувим", "хериот", "херц", "ебург", "ебитда", "педикюр", "сукно", "сукна", "сукон",
            // Хуйтэн: Mongolia's highest peak (Таван-Богдо-Ула), in a mountaineers' club report.
            "хуйтэн", "хуйтен", "сукн", "сукул", "сукр", "сучок", "сучки", "сучков", "сучкам", "сучья", "шлюз", "=hue", "=hues", "=hued", "^huey", "shui", "hueso", "huevo", "ebay", "ebony", "ebook",
            "ebul", "ebit", "ebola", "sukiyak", "shitak", "хулиган", "xue",
            "скипидар", "психу", "педикул", "педикеб", "лапидар", "саговн", "олеговн", "сукачев", "потребля", "употребля", "истребля", "оглобля", "корабля", "рубля", "сабля", "ибатул", "ибатов",
            // Ukrainian "рахувати" (to count), now that "є" reads as "е": "рахує", "порахуй", "розрахуємо".
            "рахуе", "рахуй", "рахую", "рахуя",
        ],
        MaskedForms =
        [
            // Nouns and adjectives by lemma (every case and number is matched: "е**ная", "х**а", "пи**ой"); "=" keeps
            // verbs, adverbs and interjections as written.
            "хуй", "хуйня", "хуйло", "=хуя", "=хуе", "=хуево", "хуевый", "=нахуй", "=похуй", "пизда", "пиздец", "пиздеж", "пиздатый", "=бля", "блядь",
            "=блять", "=ебать", "=ебал", "ебаный", "ебанный", "ебанутый", "ебало", "ебучий", "=заебал", "=заебали", "сука", "херня", "хер",
            "говно", "=херово", "херовый", "=охуеть", "=охуенно", "охуенный", "=охуели", "=охуел", "мудак", "жопа", "гондон", "пидор", "пидорас", "ублюдок",
            "fuck", "fucking", "shit", "bitch",
        ],
        Insults = [.. StrongInsultLemmas],
        WeakInsults = [.. AnimalInsultLemmas],
        ObjectInsults = [.. ObjectInsultLemmas],
        InsultAdjectives = [.. InsultAdjectiveLemmas],
        Staff = [.. StaffLemmas],
        StaffInsultPrefixes = ["недо", "горе", "псевдо", "полу"],
        InsultStarts = ["долбо"],
        ThirdParties = [.. ThirdPartyLemmas],
        LiteralDomains = [.. LiteralDomainStems],
        Glue = [.. GlueWords],
        DemeaningRemarks = [.. DefaultDemeaningRemarks],
        FirstNames = [.. DefaultFirstNames],
        Targets =
        [
            "вы", "ты", "вас", "вам", "вами", "тебя", "тебе", "тобой", "ваш", "ваша", "ваше", "ваши", "вашего", "вашей", "ваших", "вашему", "вашим", "вашими", "вашу", "твой", "твоя", "твои",
            "админ", "админа", "админу", "админом", "админы", "админов", "админам", "администратор", "администраторы", "сотрудник", "сотрудники", "сотрудников",
            "поддержка", "поддержки", "поддержке", "техподдержка", "техподдержки", "саппорт", "инженер", "инженера", "инженеру", "инженером", "инженеры", "инженеров",
            "специалист", "специалисты", "специалистов", "оператор", "операторы", "менеджер", "менеджеры", "программист", "программисты",
            "you", "your", "ur", "u", "guys", "support", "admins", "vy", "ty", "vas", "vam", "vash", "vashi", "vashe",
        ],
        Reader = ["вы", "ты", "вас", "вам", "вами", "тебя", "тебе", "тобой", "you", "ur", "u", "guys", "vy", "ty", "vas", "vam"],
        ThirdPersons = ["он", "она", "они", "him", "he", "she", "they"],
        ImplicitInsults =
        [
            // "вас там по объявлению набирают?", "из детского сада набирали?", "с улицы набрали?"
            "по объявлени* + " + Hired, "из детск* сад* + " + Hired, "из детсад* + " + Hired, "с улицы + " + Hired,
            // "есть хоть кто-то с мозгами?", "мозги у вас есть?"
            "с мозгами,без мозгов,мозги есть,есть мозги,мозгов нет,нет мозгов,мозги у,мозгов у,мозгов хват*,мозгов не,включ* мозг*",
            // "есть хоть один, который умеет…?", "хоть кто-то с головой?"
            "хоть один,хоть одна,хоть одного,хоть кто,хоть кого + умеет,умеют,способен,способны,соображает,соображают,головой",
            // "диплом купили?", "дипломы в переходе купили?"
            "диплом* купил*,купил* диплом*,диплом* в переходе,купленн* диплом*,диплом* куплен*",
            // Session 7, by class: a question that doubts the staff's schooling, brains, hiring or competence.
            // Not "диплом* + купили" apart: "купили у вас домен для сайта с дипломами" is a purchase.
            "диплом*,корочк* + в переходе,на рынке,на базаре,нарисовал*",
            "покупал* диплом*,диплом* покупал*,продал* диплом*,диплом* продал*,диплом* вам продал*,диплом* вам в переходе",
            "в школ* + учил*,ходил*,закончил*,окончил*",
            "есть чем думать,нечем думать,думать нечем,есть чем соображать,чем думать",
            "хоть один,хоть одна,хоть одного,хоть кто + отличает,отличают,понимает,понимают,знает,знают,разбирается,разбираются,в курсе",
            "одни,сплошные,сидят,работают,набрали,понабрали + первокурсник*,школьник*,студент*,стажер*,практикант*,дети,детей,детсадовц*,пэтэушник*,птушник*,школот*,первоклашк*,первоклассник*,двоечник*",
            "откуда,где + вас,тебя,их + набрал*,набира*,нанял*,понабрал*,откопал*,выкопал*,нашли,взяли,находят,находите,откапывают,выкапывают",
            // "Does anyone on your team actually know…": the sneer is in "actually"/"even" (a plain "does anyone know" is a question).
            "anyone,anybody + actually know,actually knows,actually understand,actually understands,even know,even knows",
            // An evaluative adjective, not the job: "хоть один вменяемый специалист?" (but "хоть один специалист по Bitrix?" asks).
            "хоть один,хоть одна,хоть одного,хоть кто + вменяем*,адекватн*,толков*,компетентн*,грамотн*,нормальн*,трезв*",
            // "где вы таких откопали?" (but "где вы берёте таких специалистов? нам тоже нужен" asks).
            "где,откуда + таких,такие,таких вот + специалист*,сотрудник*,инженер*,админ*,работник*,кадр*,умельц* + откопали,выкопали,понабрали,набрали,нашли",
            "когда-нибудь,хоть раз,в глаза,в жизни + видели,видел* + линукс*,linux,консол*,терминал*",
            // The brains' existence doubted, words together ("мозги вообще есть?") — not "выносят мозги — у вас есть защита?".
            "мозги вообще есть,мозги хоть есть,мозги то есть,мозги у вас есть,мозги у вас вообще есть,мозги имеются,мозги у вас имеются,есть ли мозги,мозги хоть иногда включаете",
            "понимаете,соображаете + что делаете,что творите,что пишете,что несете",
            "школу + закончил*,окончил*,заканчивал*",
            "хоть иногда,иногда,когда-нибудь,вообще + головой,мозгами + думаете,думают,пользуетесь,работаете",
            "уборщиц*,дворник*,охранник*,вахтер*,грузчик*,кассир* + отвечает,работает,работают,сидит,сидят,настраивал*,настраивает",
            "you people,you guys + even know,even understand,even read",
            "anyone competent,anybody competent,single competent,one competent,anyone with a brain,anyone who can read,anyone who knows what",
            "трезв* + кто-нибудь,кто-то,хоть кто,хоть один,есть",
            "вообще что-нибудь,хоть что-нибудь,хоть что-то + умеют,умеете,знают,знаете,понимаете,понимают",
            "на помойке,на свалке,в подворотне,на вокзале,на рынке + нашли,подобрали,набрали,взяли,наняли",
            "сами-то поняли,сами поняли,сами-то понимаете,сами понимаете + что написали,что пишете,что ответили,что отвечаете",
        ],
        Skills = ["читать", "писать", "думать", "считать", "соображать", "работать", "понимать"],
        SkillDenials =
        [
            "умеете", "умеешь", "умеют", "умеет", "учили", "научили", "учат", "обучены", "обучали", "разучились",
            "некому", "способны", "научились",
        ],
        Particles =
        [
            "или", "а", "и", "ли", "вообще", "хоть", "хотя", "бы", "вы", "вас", "вам", "ты", "тебя", "там", "что", "то", "нибудь",
            "же", "уже", "еще", "совсем", "нет", "да", "просто", "все", "тут", "здесь", "у", "ваши", "ваш",
        ],
        // The writer and his own side ("мы", "наш программист"): an insult nearer to them is not aimed at the staff. Not
        // "мне", "нас", and so English "me", "us": an object is not who is called names ("Какой идиот отключил мне SSH?",
        // "your engineer is a complete moron — he told me to reboot").
        Self =
        [
            "я", "сам", "сама", "себя", "мы", "мой", "моя", "мое", "мои", "моего",
            "моей", "моих", "моему", "моим", "моими", "наш", "наша", "наше", "наши", "нашего", "нашей", "наших", "нашему", "нашим",
            "нашими", "i", "myself", "im", "ya", "we", "our", "my",
        ],
        NameEndings =
        [
            "ов", "ова", "ову", "овой", "овым", "ове", "ев", "ева", "еву", "евой", "евым", "еве", "ин", "ина", "ину", "иной", "иным", "ине",
        ],
        PatronymicEndings =
        [
            "овн(а|е|у|ой|ы)", "евн(а|е|у|ой|ы)", "ович(|а|у|ем|е)", "евич(|а|у|ем|е)",
        ],
        Dismissals = ["пошли вы", "пошел ты", "пошла ты", "идите вы", "катитесь вы"],
        LiteralContext = ["строительн", "деревянн", "металлическ", "малярн", "складн", "раскладн", "пильн", "алюминиев", "монтажн", "чугунн", "разборн"],
    };
}
