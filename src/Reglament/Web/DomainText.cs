using System.Globalization;
using System.Numerics;
using System.Resources;

namespace Reglament.Web;

/// <summary>The domain's values as people read them — request types, criticality, statuses, channels, services,
/// decisions, SLA states, day kinds, refusal reasons, the names of the rules that leave evidence — from one pair of
/// resources (<c>DomainText.resx</c> Russian, <c>DomainText.en.resx</c> English), keyed <c>Type_Member</c>. The enums
/// keep their C# names for storage and the API; pages never print those names.</summary>
public static class DomainText
{
    private static readonly ResourceManager Resources = new("Reglament.Web.DomainText", typeof(DomainText).Assembly);

    /// <summary>«критичная», «ожидает абонента»; a flags value as its members joined («VPS, почта»).</summary>
    public static string Get<TEnum>(TEnum value, CultureInfo culture) where TEnum : struct, Enum
    {
        if (typeof(TEnum).IsDefined(typeof(FlagsAttribute), inherit: false))
        {
            var bits = Convert.ToUInt64(value, CultureInfo.InvariantCulture);
            if (bits != 0)
                return string.Join(", ", Enum.GetValues<TEnum>()
                    .Where(member => Convert.ToUInt64(member, CultureInfo.InvariantCulture) is var m && BitOperations.IsPow2(m) && (bits & m) == m)
                    .Select(member => Text(Key(member), culture)));
        }
        return Text(Key(value), culture);
    }

    /// <summary>The subscriber's wording where the portal speaks to him («Ждёт вашего ответа»), else the desk's.</summary>
    public static string ForSubscriber<TEnum>(TEnum value, CultureInfo culture) where TEnum : struct, Enum =>
        Resources.GetString("Portal_" + Key(value), culture) ?? Get(value, culture);

    /// <summary>An evidence rule's name («полнота описания»). Rules are stored by identifier (<c>Evidence.Rule</c>).</summary>
    public static string Rule(string rule, CultureInfo culture) => Text("Rule_" + rule, culture);

    /// <summary>Whether a text exists in the neutral (Russian) resources: the test that every value is covered.</summary>
    public static bool Has(string key, CultureInfo culture) => Resources.GetString(key, culture) is not null;

    private static string Key<TEnum>(TEnum value) where TEnum : struct, Enum => typeof(TEnum).Name + "_" + value;

    // A missing text shows its key, not a crash: the page still works and the leak test finds the key.
    private static string Text(string key, CultureInfo culture) => Resources.GetString(key, culture) ?? key;
}
