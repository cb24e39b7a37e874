namespace Reglament.Tests.Policy;

/// <summary>Realistic requests with the decision the regulation calls for: subscribers in every state, contracts with
/// different services. Columns: sender, subject, body, decision, reasons (clauses, comma-separated), type, criticality.</summary>
public static class PolicyTable
{
    public const string SubscribersCsv = """
        login,client_id,name,kind,status,services,registration_email,contacts
        u20001,204001,ООО «Альфа»,LegalEntity,Active,SharedHosting;Mail;Domains,alfa@alfa.test,alfa@alfa.test;it@alfa.test
        u20002,204002,Петров П. П.,Person,Active,Vps;Backup,petrov@petrov.test,petrov@petrov.test
        u20003,204003,ООО «Бета»,LegalEntity,Suspended,SharedHosting,beta@beta.test,beta@beta.test
        u20004,204004,ООО «Гамма»,LegalEntity,Terminated,Vps,gamma@gamma.test,gamma@gamma.test
        u20005,204005,ИП Сидоров,Person,Active,DedicatedServer;Colocation;Backup,sidorov@sidorov.test,sidorov@sidorov.test
        u20006,204006,ООО «Дельта»,LegalEntity,Active,SharedHosting,delta@delta.test,delta@delta.test;shared@both.test
        u20007,204007,Кузнецов К. К.,Person,Active,Vps;Domains;Mail,kuz@kuz.test,kuz@kuz.test;shared@both.test
        u20008,204008,ООО «Эпсилон»,LegalEntity,Suspended,Vps;Backup,eps@eps.test,eps@eps.test
        """;

    public const string A = "it@alfa.test";
    public const string P = "petrov@petrov.test";
    public const string B = "beta@beta.test";
    public const string G = "gamma@gamma.test";
    public const string S = "sidorov@sidorov.test";
    public const string D = "delta@delta.test";
    public const string K = "kuz@kuz.test";
    public const string E = "eps@eps.test";
    public const string Both = "shared@both.test";

    public static readonly TheoryData<string, string, string, string, string, string?, string?> Cases = new()
    {
        // Accepted incidents, criticality inferred by the regulation's definitions (R3, R8, R12).
        { A, "Сайт не работает", "Логин u20001. С утра сайт alfa.test отдаёт ошибку 502 Bad Gateway, ничего не меняли.", "accepted", "", "Incident", "Urgent" },
        { A, "Почта не приходит", "Логин u20001. Со вчерашнего вечера не приходят письма на info@alfa.test, отправители получают ошибку 550.", "accepted", "", "Incident", "Urgent" },
        { A, "Всё упало", "Логин u20001. С утра ничего не работает: сайт и почта не работают, ошибка 503. Работа невозможна.", "accepted", "", "Incident", "Critical" },
        { A, "Пропали данные", "ID клиента 204001. После ночного сбоя потеря данных: в базе shop пропали заказы за неделю, в логе ошибка InnoDB.", "accepted", "", "Incident", "Critical" },
        { A, "Медленно", "Логин u20001. Сегодня сайт сильно тормозит, страницы открываются по 20 секунд, в логе timeout.", "accepted", "", "Incident", "Urgent" },
        { A, "Иногда ошибка", "Логин u20001. Иногда при отправке формы на сайте выдаёт ошибку 500, в остальном всё работает.", "accepted", "", "Incident", "Normal" },
        { A, "Ошибка на одной странице", "Логин u20001. После обновления плагина на одной странице каталога ошибка 404, остальное работает.", "accepted", "", "Incident", "Normal" },
        { P, "VPS не отвечает", "Логин u20002. VPS 10.0.0.5 не отвечает по SSH с 9 утра, ping проходит. Скриншот консоли: kernel panic.", "accepted", "", "Incident", "Critical" },
        { P, "Сервер недоступен", "ID 204002. С ночи VPS недоступен, в панели статус «остановлен», запустить не получается — ошибка «insufficient resources».", "accepted", "", "Incident", "Urgent" },
        { S, "Диск", "Логин u20005. Вчера после перезагрузки выделенный сервер пишет в логах I/O error на /dev/sdb, сервисы работают.", "accepted", "", "Incident", "Normal" },
        { K, "Не работает VPS", "Логин u20007. С утра VPS не работает, при попытке зайти по SSH пишет «Connection refused».", "accepted", "", "Incident", "Urgent" },
        { K, "Домен не открывается", "Логин u20007. Со вчера домен kuz.test не открывается, ошибка DNS_PROBE_FINISHED_NXDOMAIN.", "accepted", "", "Incident", "Urgent" },
        { D, "Ошибка", "Логин u20006. После того как обновил WordPress, сайт выдаёт «Error establishing a database connection».", "accepted", "", "Incident", "Normal" },
        { D, "Сайт недоступен", "ID клиента 204006. Сегодня утром сайт периодически недоступен, ошибка 504 Gateway Time-out.", "accepted", "", "Incident", "Urgent" },
        { Both, "Почта", "Логин u20007. С утра письма не уходят, ошибка 535 Authentication failed.", "accepted", "", "Incident", "Urgent" },
        { Both, "Сайт", "Логин u20006. С утра сайт не открывается, ошибка 502.", "accepted", "", "Incident", "Urgent" },
        // Declared criticality wins for incidents and questions.
        { A, "[Critical] сайт лежит", "Логин u20001. С утра сайт не открывается, ошибка 502.", "accepted", "", "Incident", "Critical" },
        { A, "Срочно: почта", "Логин u20001. С утра почта не уходит, ошибка 550.", "accepted", "", "Incident", "Urgent" },
        { A, "Вопрос", "Логин u20001. Критичность: высокая. С утра сайт тормозит, в логе timeout.", "accepted", "", "Incident", "Urgent" },
        { A, "Ошибка 502", "Логин u20001. Не срочно, но с утра на сайте ошибка 502 на странице поиска.", "accepted", "", "Incident", "Low" },
        { P, "Критично!", "Логин u20002. Критично! С утра VPS перезагружается каждые 5 минут, в логе Out of memory.", "accepted", "", "Incident", "Critical" },
        { S, "Приоритет низкий", "Логин u20005. Приоритет низкий. Вчера заметили ошибку в логе сервера: warning disk 80%.", "accepted", "", "Incident", "Low" },
        { A, "Urgent: mail down", "Login u20001. Since this morning mail is down, error 421 from the server.", "accepted", "", "Incident", "Urgent" },
        // Config changes and backup restores: always Low, whatever was declared (R3, R12).
        { A, "Увеличить memory_limit", "Логин u20001. Прошу увеличить memory_limit в php.ini до 512M.", "accepted", "", "ConfigChange", "Low" },
        { A, "Critical: php", "Логин u20001. Срочно смените версию PHP на 8.2 для сайта alfa.test.", "accepted", "", "ConfigChange", "Low" },
        { A, "mod_rewrite", "Логин u20001. Прошу включить mod_rewrite для сайта.", "accepted", "", "ConfigChange", "Low" },
        { A, "Лимит загрузки", "ID клиента 204001. Увеличьте, пожалуйста, upload_max_filesize до 100M.", "accepted", "", "ConfigChange", "Low" },
        { D, "Крон", "Логин u20006. Добавьте, пожалуйста, задание cron: каждые 5 минут запуск /home/u20006/run.php.", "accepted", "", "ConfigChange", "Low" },
        { P, "Параметры сервера", "Логин u20002. Прошу изменить параметры mysql: max_connections 500 в my.cnf.", "accepted", "", "ConfigChange", "Low" },
        { A, "Восстановить бэкап", "Логин u20001. Прошу восстановить базу shop из бэкапа за вчера, случайно удалил таблицу.", "accepted", "", "BackupRestore", "Low" },
        { P, "Критично: восстановление", "Логин u20002. Критично! Восстановите VPS из резервной копии за 12.03.", "accepted", "", "BackupRestore", "Low" },
        { S, "Backup", "Login u20005. Please restore /var/www from backup of yesterday.", "accepted", "", "BackupRestore", "Low" },
        { D, "Откат", "Логин u20006. Сделайте откат сайта из резервной копии за понедельник.", "accepted", "", "BackupRestore", "Low" },
        { K, "Вернуть файлы", "Логин u20007. Верните, пожалуйста, файлы из бэкапа за 1 марта.", "accepted", "", "BackupRestore", "Low" },
        // Questions are Low (R12: questions and recommendations).
        { A, "Вопрос по DNS", "Логин u20001. Подскажите, как настроить SPF-запись для домена alfa.test?", "accepted", "", "Question", "Low" },
        { A, "Тариф", "Логин u20001. Какой у нас тариф и когда следующая оплата?", "accepted", "", "Question", "Low" },
        { P, "IP", "Логин u20002. Можно ли добавить второй IP-адрес на VPS?", "accepted", "", "Question", "Low" },
        { D, "Сертификат", "Логин u20006. Как выпустить сертификат Let's Encrypt для поддомена?", "accepted", "", "Question", "Low" },
        { K, "Рекомендация", "Логин u20007. Что порекомендуете для ускорения сайта на VPS?", "accepted", "", "Question", "Low" },
        { S, "Мониторинг", "Логин u20005. Есть ли у вас мониторинг выделенного сервера?", "accepted", "", "Question", "Low" },
        // Incomplete problem reports (R8): support asks for exactly what is missing.
        { A, "Не работает", "Логин u20001. Сайт не работает.", "needs-info", "R8", "Incident", "Urgent" },
        { A, "Ошибка", "Логин u20001. Ошибка на сайте, посмотрите.", "needs-info", "R8", "Incident", "Normal" },
        { A, "Почта", "Логин u20001. Почта не приходит, помогите разобраться как можно скорее.", "needs-info", "R8", "Incident", "Urgent" },
        { P, "VPS", "Логин u20002. VPS тормозит, сделайте что-нибудь, пожалуйста.", "needs-info", "R8", "Incident", "Normal" },
        { D, "Проблема с сайтом", "Логин u20006. На сайте что-то сломалось, страницы открываются криво.", "needs-info", "R8", "Incident", "Normal" },
        { K, "Не могу зайти", "Логин u20007. Не могу зайти в панель управления.", "needs-info", "R8", "Incident", "Normal" },
        { S, "Сервер", "Логин u20005. Сервер лежит.", "needs-info", "R8", "Incident", "Urgent" },
        { A, "Ошибка 500", "Логин u20001. На сайте ошибка 500, исправьте.", "needs-info", "R8", "Incident", "Normal" },
        { Both, "Сбой", "Логин u20006. Сбой почты.", "needs-info", "R8", "Incident", "Normal" },
        // A Critical incident is worked at once even when incomplete.
        { A, "Критично", "Логин u20001. Критично, ничего не работает.", "accepted", "", "Incident", "Critical" },
        { P, "[Critical]", "Логин u20002. VPS не работает.", "accepted", "", "Incident", "Critical" },
        // Missing or foreign authorization information (R7 → R11a).
        { A, "Сайт не работает", "С утра сайт не открывается, ошибка 502 Bad Gateway.", "refused", "R11a", "Incident", "Urgent" },
        { P, "Вопрос", "Можно ли добавить второй IP?", "refused", "R11a", "Question", "Low" },
        { A, "Почта", "Логин: u20002. С утра почта не работает, ошибка 550.", "refused", "R11a", "Incident", "Urgent" },
        { A, "Почта", "Логин u20001, а также логин: u20006. С утра почта не работает, ошибка 550.", "refused", "R11a", "Incident", "Urgent" },
        { Both, "Вопрос", "Когда будет счёт за март?", "refused", "R11a", "Question", "Low" },
        { D, "Сайт", "Логин u200061. С утра ошибка 502 на сайте.", "refused", "R11a", "Incident", "Urgent" },
        // Unknown senders are not answered (R6): quarantined; screening reports them as refused under R6.
        { "stranger@evil.test", "Помогите", "Логин u20001. С утра ошибка 502.", "refused", "R6", null, null },
        { "it@alfa.test.evil", "Сайт", "Логин u20001. С утра ошибка 502.", "refused", "R6", null, null },
        { "nobody@example.test", "Вопрос", "ID 204002", "refused", "R6", null, null },
        // Suspended services (R11c): only the suspension and payment may be discussed.
        { B, "Увеличить лимит", "Логин u20003. Увеличьте memory_limit до 256M.", "refused", "R11c", "ConfigChange", "Low" },
        { B, "Сайт не работает", "Логин u20003. С утра сайт не открывается, ошибка 403.", "refused", "R11c", "Incident", "Urgent" },
        { B, "Оплата", "Логин u20003. Оплатили счёт, когда включите услуги?", "accepted", "", "Question", "Low" },
        { B, "Приостановка", "Логин u20003. Почему приостановлено обслуживание?", "accepted", "", "Question", "Low" },
        { E, "VPS", "Логин u20008. С утра VPS не отвечает, ошибка timeout.", "refused", "R11c", "Incident", "Urgent" },
        { E, "Счёт", "Логин u20008. Пришлите, пожалуйста, счёт за апрель.", "accepted", "", "Question", "Low" },
        { E, "Бэкап", "Логин u20008. Восстановите VPS из бэкапа.", "refused", "R11c", "BackupRestore", "Low" },
        // Terminated contract (R11b).
        { G, "VPS", "Логин u20004. С утра VPS не работает, ошибка 502.", "refused", "R11b", "Incident", "Urgent" },
        { G, "Вопрос", "Логин u20004. Можно ли вернуть данные?", "refused", "R11b", "Question", "Low" },
        { G, "Бэкап", "Логин u20004. Восстановите базу из бэкапа.", "refused", "R11b", "BackupRestore", "Low" },
        // Services the contract does not include (R11b).
        { A, "VPS", "Логин u20001. Сколько стоит VPS и можно ли перенести на него сайт?", "refused", "R11b", "Question", "Low" },
        { D, "Виртуальный сервер", "Логин u20006. С утра не работает наш виртуальный сервер, ошибка 502.", "refused", "R11b", "Incident", "Urgent" },
        { D, "Домен", "Логин u20006. Продлите, пожалуйста, домен delta.test на год.", "refused", "R11b", "Question", "Low" },
        { P, "Хостинг", "Логин u20002. Нужен ещё виртуальный хостинг для второго сайта, как подключить?", "refused", "R11b", "Question", "Low" },
        { P, "Colocation", "Логин u20002. Хотим colocation для своего сервера, какие условия?", "refused", "R11b", "Question", "Low" },
        { S, "VPS", "Логин u20005. Можно ли дополнительно заказать VPS?", "refused", "R11b", "Question", "Low" },
        { K, "Выделенный сервер", "Логин u20007. Нужен выделенный сервер, что посоветуете?", "refused", "R11b", "Question", "Low" },
        { K, "VPS тормозит", "Логин u20007. Сегодня VPS сильно тормозит, в логе ошибка timeout.", "accepted", "", "Incident", "Urgent" },
        { S, "Колокация", "Логин u20005. Вчера в стойке колокации пропало питание, сервер недоступен, ошибка в мониторинге.", "accepted", "", "Incident", "Urgent" },
        // Out of scope topics (R5 → R11b), with the offer of paid help.
        { A, "Скрипт", "Логин u20001. Помогите написать скрипт на PHP для выгрузки заказов в Excel.", "refused", "R5,R11b", "OutOfScope", "Low" },
        { A, "WordPress", "Логин u20001. Настройте, пожалуйста, WordPress: тему и меню.", "refused", "R5,R11b", "OutOfScope", "Low" },
        { D, "Дизайн", "Логин u20006. Нужно сделать дизайн сайта для нашей компании.", "refused", "R5,R11b", "OutOfScope", "Low" },
        { D, "Вёрстка", "Логин u20006. Сверстайте, пожалуйста, лендинг по макету.", "refused", "R5,R11b", "OutOfScope", "Low" },
        { P, "Код", "Логин u20002. Посмотрите код, почему функция возвращает null?", "refused", "R5,R11b", "OutOfScope", "Low" },
        { P, "Outlook", "Логин u20002. Настройте Outlook на моём ноутбуке.", "refused", "R5,R11b", "OutOfScope", "Low" },
        { K, "Битрикс", "Логин u20007. Настройте Битрикс под наш интернет-магазин.", "refused", "R5,R11b", "OutOfScope", "Low" },
        { K, "SQL", "Логин u20007. Помогите составить SQL запрос для отчёта по продажам.", "refused", "R5,R11b", "OutOfScope", "Low" },
        { S, "Плагин", "Логин u20005. Установите плагин WooCommerce и настройте оплату.", "refused", "R5,R11b", "OutOfScope", "Low" },
        { A, "SEO", "Логин u20001. Нужно SEO продвижение сайта, сколько стоит?", "refused", "R5,R11b", "OutOfScope", "Low" },
        { A, "Fix my code", "Login u20001. Please fix my code, the PHP function crashes.", "refused", "R5,R11b", "OutOfScope", "Low" },
        // Rude form (R10 → R11d): obscene words and insults, through obfuscation.
        { A, "Сайт", "Логин u20001. С утра сайт не работает, ошибка 502, пиздец.", "refused", "R11d", "Incident", "Urgent" },
        { A, "Почта", "Логин u20001. Вы идиоты? С утра почта не работает, ошибка 550.", "refused", "R11d", "Incident", "Urgent" },
        { P, "VPS", "Логин u20002. Бл*, с утра VPS не отвечает, ошибка timeout.", "refused", "R11d", "Incident", "Urgent" },
        { P, "VPS", "Логин u20002. Ваши админы дебилы, с утра VPS лежит, ошибка 502.", "refused", "R11d", "Incident", "Urgent" },
        { D, "Х**ня с сайтом", "Логин u20006. С утра ошибка 500.", "refused", "R11d", "Incident", "Normal" },
        { K, "Почта", "Логин u20007. xyйня с почтой, письма не уходят с утра, ошибка 535.", "refused", "R11d", "Incident", "Urgent" },
        { S, "Сервер", "Логин u20005. Вы тупые? Вчера сервер упал, в логе kernel panic.", "refused", "R11d", "Incident", "Critical" },
        { A, "Какого хера", "Логин u20001. Какого хера сайт не работает с утра? Ошибка 502.", "refused", "R11d", "Incident", "Urgent" },
        // Several reasons at once: every reason is named.
        { B, "Сайт", "Логин u20003. Сайт не работает, блядь, с утра ошибка 502.", "refused", "R11c,R11d", "Incident", "Urgent" },
        { G, "Скрипт", "Логин u20004. Напишите скрипт для бэкапа.", "refused", "R5,R11b", "OutOfScope", "Low" },
        { D, "VPS", "Логин u20006. Уроды, сколько стоит VPS?", "refused", "R11b,R11d", "Question", "Low" },
        { A, "Сайт", "Вы идиоты, сайт не работает с утра, ошибка 502.", "refused", "R11a,R11d", "Incident", "Urgent" },
        // Clean traps: harsh but clean, euphemisms, self-directed insults, words sharing letters with obscene roots.
        { A, "Безобразие", "Логин u20001. Это непрофессионально: с утра сайт не работает, ошибка 502, третий раз за неделю!", "accepted", "", "Incident", "Urgent" },
        { A, "Блин", "Логин u20001. Блин, с утра опять ошибка 502 на сайте.", "accepted", "", "Incident", "Urgent" },
        { A, "Восстановите", "Логин u20001. Я идиот, сам удалил базу. Восстановите из бэкапа за вчера, пожалуйста.", "accepted", "", "BackupRestore", "Low" },
        { A, "Застрахуйте", "Логин u20001. Как застраховать данные — делаете ли вы резервные копии ежедневно?", "accepted", "", "Question", "Low" },
        { D, "Команда", "Логин u20006. Наша команда интернет-магазина мандаринов просит совета по потреблению ресурсов.", "accepted", "", "Question", "Low" },
        { K, "Ребята", "Логин u20007. Ребята, подскажите, где посмотреть потребление CPU на VPS?", "accepted", "", "Question", "Low" },
        { S, "Скриншот", "Логин u20005. Вчера после обновления панель пишет ошибку, скриншот во вложении. Чёрт знает что.", "accepted", "", "Incident", "Normal" },
    };
}
