namespace SecScan.Core.Coordinates;

/// <summary>
/// The coordinate-specific view of normalized text: every degree, minute and second variant of
/// DOMAIN.md §4.2 folded to °, ′ and ″, and 度/分/秒 after a number folded the same way, so that one
/// set of patterns reads <c>116°23'17.5"</c>, <c>116º23’17.5”</c> and <c>116度23分17.5秒</c> alike.
/// </summary>
/// <remarks>
/// Invariant: the view has exactly the length of its input and character i comes from input character
/// i, so an offset in the view is an offset in <see cref="Text.NormalizedText.Text"/>. Two-character
/// seconds ('' and ′′) therefore become ″ followed by a space. This is deliberately not part of the shared
/// normalizer: ' and " mean quotes everywhere else, and NFKC would turn º into o and ″ into ′′.
/// </remarks>
public static class CoordinateView
{
    public static string Fold(string text)
    {
        return string.Create(text.Length, text, static (dst, src) =>
        {
            // After a digit (optionally one space): 度/分/秒 are units, not words.
            bool unitContext = false;
            for (int i = 0; i < src.Length; i++)
            {
                char c = src[i];
                char o = c;
                switch (c)
                {
                    case '°' or 'º' or '˚':
                        o = '°';
                        break;
                    case '度' when unitContext:
                        o = '°';
                        break;
                    case '\'' or '′' or '’' or '´' or '`':
                        if (i + 1 < src.Length && src[i + 1] == c && c is '\'' or '′' or '’')
                        {
                            dst[i] = '″';
                            dst[++i] = ' ';
                            unitContext = false;
                            continue;
                        }
                        o = '′';
                        break;
                    case '分' when unitContext:
                        o = '′';
                        break;
                    case '"' or '″' or '”' or '〃':
                        o = '″';
                        break;
                    case '秒' when unitContext:
                        o = '″';
                        break;
                }
                dst[i] = o;
                if (char.IsAsciiDigit(c)) unitContext = true;
                else if (c != ' ' && c != '.') unitContext = false;
            }
        });
    }
}
