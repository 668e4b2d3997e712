using System;
using System.Text;

namespace StaticNet.Generator;

/// <summary>Writes C# source line by line with the current indentation.</summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _text = new();
    private int _indent;

    /// <summary>Writes one line, or each line of a multi-line block, at the current indentation.</summary>
    public SourceWriter Line(string text = "")
    {
        foreach (string line in text.Split('\n'))
        {
            string trimmed = line.TrimEnd('\r');
            if (trimmed.Length > 0)
            {
                for (int i = 0; i < _indent; i++)
                {
                    _text.Append(IndentUnit);
                }

                _text.Append(trimmed);
            }

            _text.Append('\n');
        }

        return this;
    }

    /// <summary>Writes the header, if any, and an opening brace, and indents until the returned scope is disposed.</summary>
    public Scope Block(string header)
    {
        if (header.Length > 0)
        {
            Line(header);
        }

        Line("{");
        _indent++;
        return new Scope(this);
    }

    public override string ToString() => _text.ToString();

    internal readonly struct Scope(SourceWriter writer) : IDisposable
    {
        public void Dispose()
        {
            writer._indent--;
            writer.Line("}");
        }
    }
}
