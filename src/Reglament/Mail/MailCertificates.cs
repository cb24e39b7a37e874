using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Reglament.Mail;

/// <summary>Server certificate checks for SMTP and IMAP: the system's trust store, plus optionally exactly one
/// certificate given as a PEM file — for an internal mail server with a self-signed certificate. Validation is
/// never switched off.</summary>
public static class MailCertificates
{
    public static RemoteCertificateValidationCallback? Callback(string? trustedCertificatePem)
    {
        if (string.IsNullOrWhiteSpace(trustedCertificatePem))
            return null;
        using var trusted = X509Certificate2.CreateFromPem(File.ReadAllText(trustedCertificatePem));
        var hash = trusted.GetCertHashString();
        return (_, certificate, _, errors) => errors == SslPolicyErrors.None
            || (certificate is not null && string.Equals(certificate.GetCertHashString(), hash, StringComparison.OrdinalIgnoreCase));
    }
}
