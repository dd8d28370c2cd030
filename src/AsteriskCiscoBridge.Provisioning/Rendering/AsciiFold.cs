namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>
/// Latin letters with diacritics (U+00C0–U+017F) to their plain ASCII letters, for displays
/// that show ASCII only. A table rather than Unicode decomposition: the host runs with
/// invariant globalization, where normalization leaves text unchanged.
/// </summary>
internal static class AsciiFold
{
    private static readonly string[] Latin1 =
        ("A A A A A A AE C E E E E I I I I D N O O O O O x O U U U U Y TH ss " +
         "a a a a a a ae c e e e e i i i i d n o o o o o ? o u u u u y th y").Split(' ');

    private static readonly string[] ExtendedA =
        ("A a A a A a C c C c C c C c D d D d E e E e E e E e E e G g G g G g G g H h H h " +
         "I i I i I i I i I i IJ ij J j K k k L l L l L l L l L l N n N n N n n N n " +
         "O o O o O o OE oe R r R r R r S s S s S s S s T t T t T t U u U u U u U u U u U u " +
         "W w Y y Y Z z Z z Z z s").Split(' ');

    /// <summary>The ASCII spelling of <paramref name="codePoint"/>, or null when it has none here.</summary>
    public static string? Fold(int codePoint) => codePoint switch
    {
        >= 0xC0 and <= 0xFF => Latin1[codePoint - 0xC0] is "?" ? null : Latin1[codePoint - 0xC0],
        >= 0x100 and <= 0x17F => ExtendedA[codePoint - 0x100],
        _ => null,
    };
}
