namespace Reglament.Russian;

/// <summary>The word lists the <see cref="RudenessDetector"/> works from. Every list is data: an application binds
/// it from configuration and may extend or replace any of them; <see cref="Default"/> is the tested set.
/// <para>Notation, in <see cref="Obscene"/>: <c>хуй</c> anywhere in a word; <c>^бля</c> at the start of a word;
/// <c>^+еба</c> at the start or after one of <see cref="Prefixes"/>; <c>=пздц</c> the whole word. Everywhere:
/// <c>stem(a|b|)</c> expands to alternatives; a leading <c>!</c> keeps a Cyrillic entry from being spelled in Latin
/// letters (where its Latin spelling is an ordinary English word, like "her" for <c>хер</c>). Entries are compared
/// after de-obfuscation: lower case, <c>ё</c> → <c>е</c>, <c>ъ</c> → <c>ь</c>, repeated letters collapsed.</para></summary>
public sealed class RudenessLexicon
{
    /// <summary>Obscene roots (мат) and the swear words the regulation also forbids (R10: "ругательства").</summary>
    public List<string> Obscene { get; set; } = [];

    /// <summary>Verbal prefixes that may precede a <c>^+</c> root: "за-", "вы-", "отъ-"…</summary>
    public List<string> Prefixes { get; set; } = [];

    /// <summary>Ordinary words that contain an obscene root: a match inside one of these is not a finding
    /// ("страхуй", "мандарин", "херсон").</summary>
    public List<string> Exceptions { get; set; } = [];

    /// <summary>Whole obscene words a masked spelling is matched against: "х**ня" is "хуйня", "бл*" is "бля".</summary>
    public List<string> MaskedForms { get; set; } = [];

    /// <summary>Insults that are name-calling whatever the context (word forms), unless aimed at oneself.</summary>
    public List<string> Insults { get; set; } = [];

    /// <summary>Words that insult only when aimed at someone named next to them ("вы тупые", not "тупой вопрос").</summary>
    public List<string> WeakInsults { get; set; } = [];

    /// <summary>Words that aim an insult at the reader or at people: "вы", "ты", "ваш", "админы", "you".</summary>
    public List<string> Targets { get; set; } = [];

    /// <summary>Words that aim an insult at the writer: "я", "сам", "I", "myself".</summary>
    public List<string> Self { get; set; } = [];

    /// <summary>Endings of surnames and patronymics: a capitalised Cyrillic word with one of them in the middle of a
    /// sentence ("Козлова", "Олеговне"), or with a patronymic ending anywhere, is a name, not an insult or мат.</summary>
    public List<string> NameEndings { get; set; } = [];

    /// <summary>Which of <see cref="NameEndings"/> mark a patronymic: a name even at the start of a sentence.</summary>
    public List<string> PatronymicEndings { get; set; } = [];

    /// <summary>Starts of words that, right before an insult word, make it literal ("строительные козлы").</summary>
    public List<string> LiteralContext { get; set; } = [];

    /// <summary>Two-word dismissals, verb first, at the start of a clause: "п0шли вы", "пошёл ты" (insults).</summary>
    public List<string> Dismissals { get; set; } = [];

    /// <summary>How many words either side of an insult are searched for a target or the writer.</summary>
    public int ContextWords { get; set; } = 3;

    /// <summary>Longer words are identifiers, hashes or base64, not language.</summary>
    public int MaxWordLength { get; set; } = 32;

    /// <summary>The tested default lists.</summary>
    public static RudenessLexicon Default => new()
    {
        Obscene =
        [
            "хуй", "хуе", "хуя", "^+хую", "хуи", "!^хули", "=хуле", "!^хер", "!^(на|по|ни|за|о|до)хер", "пизд", "=пздц", "=пзд", "=пздец", "=пиздц", "^бля", "^(вы|по|раз|с)бляд",
            "^+еб(а|е|и|л|н|о|у|ш|ы|ч|к)", "=+еб", "(долбо|мудо|дуро)еб",
            "^муда(к|ч|л)", "^мудил", "^мудо(з|х|е)", "залуп", "!^манд(а|ы|е|у|ой|ою|ень|авош|ятин)",
            "^г(а|о)ндон", "пидор", "пидар", "^пидр", "педик", "^шлюх", "^сука", "^суки", "^суку", "^сукой", "^суке", "^сукам",
            "^сучар", "^сучий", "^сучье", "^сучьи", "^сучк", "^сукин", "!^херн", "говн", "говен(ы|а|о)", "!жоп", "!дерьм", "!^сран", "!засра", "!обосра",
            "!^срать", "!^срач", "ублюд", "^шалав", "^курв", "=fck", "=fcking", "fuck", "^shit", "bulshit", "^bitch",
            "^cunt", "^ashole", "^dickhead", "^bastard", "^motherf", "^wanker",
        ],
        Prefixes = ["за", "вы", "у", "на", "от", "оть", "сь", "вь", "до", "по", "при", "раз", "разь", "рас", "под", "подь", "об", "обь", "пере", "недо", "из", "изь", "про", "о", "ни", "при"],
        Exceptions =
        [
            "страху", "страхуе", "мандарин", "мандат", "мандол", "мандал", "мандраж", "мандрагор", "мандибул", "мандж", "мандел",
            "бляха", "бляхи", "бляху", "бляшк", "бляхой", "херсон", "херман", "херес", "хулит", "хулил", "херувим", "хериот", "херц", "ебург", "ебитда", "педикюр", "сукно", "сукна", "сукон",
            "сукн", "сукул", "сукр", "сучок", "сучки", "сучков", "сучкам", "сучья", "шлюз", "hue", "shui", "hueso", "huevo", "ebay", "ebony", "ebook",
            "ebul", "ebit", "ebola", "sukiyak", "shitak", "хулиган", "xue",
            "скипидар", "олеговн", "сукачев", "потребля", "употребля", "истребля", "оглобля", "корабля", "рубля", "сабля",
        ],
        MaskedForms =
        [
            "хуй", "хуйня", "хуйло", "хуя", "хуе", "хуево", "хуевый", "нахуй", "похуй", "пизда", "пиздец", "пизды", "пиздеж", "бля", "блядь",
            "блять", "бляди", "ебать", "ебал", "ебаный", "ебало", "ебучий", "заебал", "заебали", "сука", "суки", "херня", "хер",
            "говно", "херово", "херовый", "охуеть", "охуенно", "охуели", "охуел", "мудак", "мудаки", "жопа", "гондон", "пидор", "пидорас", "ублюдок", "fuck", "fucking", "shit", "bitch",
        ],
        Insults =
        [
            "идиот(|а|у|ом|е|ы|ов|ам|ами|ах|ка|ки|ку|кой|ина|ины)", "дебил(|а|у|ом|е|ы|ов|ам|ами|ах|ка|ки|ку|оид|оиды)",
            "придур(ок|ка|ку|ком|ке|ки|ков|кам|ками|ках|очный)", "урод(|а|у|ом|е|ы|ов|ам|ами|ах|ина|ины)", "кретин(|а|у|ом|е|ы|ов|ам|ами|ах)",
            "дегенерат(|а|у|ом|ы|ов|ам|ами)", "имбецил(|а|у|ом|ы|ов|ам|ами)", "олигофрен(|а|ы|ов)", "недоум(ок|ка|ку|ки|ков|ками)",
            "тварь", "твари", "тварям", "сволоч(ь|и|ью|ам|ами)", "быдл(о|а|у|ом)", "бестолоч(ь|и)", "бездар(ь|и|ей|ям)", "тупиц(а|ы|у|ей)",
            "козл(ы|ов|ам|ами|ина|ины)", "дурачье", "чмо", "чмошник(|и|ов)", "лох(и|ов|ам|ами)", "!лох", "мраз(ь|и|ью|ям)", "тупорыл(ый|ые|ая|ых|ым|ыми)",
            "idiot", "idiots", "moron", "morons", "retard", "retards", "retarded", "imbecile", "imbeciles", "dumbas", "dumbases", "jackas",
        ],
        WeakInsults =
        [
            "туп(ой|ые|ая|ое|ых|ым|ыми|ого|ому|ую)", "дура(к|ка|ку|ки|ков|кам|ками|чье)", "дур(а|ы|е|у)", "козел", "козла", "козлу", "козлом",
            "криворук(ий|ие|ая|их|ими)", "клоун(ы|ов|ами)", "бараны", "баранов", "овощи", "stupid", "dumb", "clowns", "dumbo",
        ],
        Targets =
        [
            "вы", "ты", "вас", "вам", "вами", "тебя", "тебе", "тобой", "ваш", "ваша", "ваше", "ваши", "вашего", "вашей", "ваших", "твой", "твоя", "твои",
            "админ", "админы", "админов", "админам", "администратор", "администраторы", "сотрудник", "сотрудники", "сотрудников",
            "поддержка", "поддержки", "поддержке", "техподдержка", "техподдержки", "саппорт", "инженер", "инженеры", "инженеров",
            "специалист", "специалисты", "специалистов", "оператор", "операторы", "менеджер", "менеджеры", "программист", "программисты",
            "you", "your", "ur", "u", "guys", "support", "admins", "vy", "ty", "vas", "vam", "vash", "vashi", "vashe",
        ],
        Self = ["я", "сам", "сама", "себя", "i", "myself", "im", "ya"],
        NameEndings =
        [
            "ов", "ова", "ову", "овой", "овым", "ове", "ев", "ева", "еву", "евой", "евым", "еве", "ин", "ина", "ину", "иной", "иным", "ине",
        ],
        PatronymicEndings =
        [
            "овн(а|е|у|ой|ы)", "евн(а|е|у|ой|ы)", "ович(|а|у|ем|е)", "евич(|а|у|ем|е)",
        ],
        Dismissals = ["пошли вы", "пошел ты", "пошла ты", "идите вы", "катитесь вы"],
        LiteralContext = ["строительн", "деревянн", "металлическ", "малярн", "складн", "раскладн", "пильн", "алюминиев"],
    };
}
