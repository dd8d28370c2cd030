using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Tests.Model;

public sealed class PhoneModelsTests
{
    // Line buttons and device type ids from spec §1 (families) and §2.7 (loadInformationNNN ids).
    [Theory]
    [InlineData("7940", PhoneFamily.Sip79x0, 2, 8)]
    [InlineData("7960", PhoneFamily.Sip79x0, 6, 7)]
    [InlineData("7906", PhoneFamily.Sip79x1, 1, 369)]
    [InlineData("7911", PhoneFamily.Sip79x1, 1, 307)]
    [InlineData("7941", PhoneFamily.Sip79x1, 2, 115)]
    [InlineData("7942", PhoneFamily.Sip79x1, 2, 434)]
    [InlineData("7945", PhoneFamily.Sip79x1, 2, 435)]
    [InlineData("7961", PhoneFamily.Sip79x1, 6, 30018)]
    [InlineData("7962", PhoneFamily.Sip79x1, 6, 404)]
    [InlineData("7965", PhoneFamily.Sip79x1, 6, 436)]
    [InlineData("7970", PhoneFamily.Sip79x1, 8, 30006)]
    [InlineData("7971", PhoneFamily.Sip79x1, 8, 119)]
    [InlineData("7975", PhoneFamily.Sip79x1, 8, 437)]
    public void Each_model_has_its_family_buttons_and_device_type(string name, PhoneFamily family, int lineKeys, int deviceType)
    {
        var model = PhoneModels.Find(name);

        Assert.NotNull(model);
        Assert.Equal((family, lineKeys, deviceType), (model.Family, model.LineKeys, model.DeviceTypeId));
    }

    [Theory]
    [InlineData("7960G", "7960")]
    [InlineData("cp-7961g-ge", "7961")]
    [InlineData("IP Phone 7942", "7942")]
    [InlineData(" 7975G ", "7975")]
    [InlineData("Cisco 7940", "7940")]
    public void Find_accepts_the_names_admins_and_user_agents_use(string text, string expected) =>
        Assert.Equal(expected, PhoneModels.Find(text)?.Name);

    [Theory]
    [InlineData("7912")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("79601")]
    public void Find_returns_null_for_unsupported_models(string? text) => Assert.Null(PhoneModels.Find(text));
}
