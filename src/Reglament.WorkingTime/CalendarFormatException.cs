namespace Reglament.WorkingTime;

/// <summary>Calendar data (project JSON or xmlcalendar XML) that cannot be read or is inconsistent.</summary>
public sealed class CalendarFormatException : FormatException
{
    /// <summary>Creates the exception with a default message.</summary>
    public CalendarFormatException()
    {
    }

    /// <summary>Creates the exception with a message saying what is wrong and where.</summary>
    /// <param name="message">What is wrong with the data.</param>
    public CalendarFormatException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the parser's own error.</summary>
    /// <param name="message">What is wrong with the data.</param>
    /// <param name="innerException">The parser's error.</param>
    public CalendarFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
