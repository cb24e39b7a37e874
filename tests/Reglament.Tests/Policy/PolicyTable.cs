namespace Reglament.Tests.Policy;

/// <summary>Subscribers in every state, with contracts of different services, for the policy tests. (The table of
/// requests tuned alongside the old rules is replaced by the blind corpora in corpora/policy, PolicyCorpusTests.)</summary>
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
}
