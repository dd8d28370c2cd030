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

    // Spec beyond-79xx A2 (ids), A6 (maxNumCalls ceilings), Provisioner's family data (7800 line keys). Conflicts
    // settled: 6921/6941 follow chan-sccp (495/496), not the SCCP_Manager rows that swap them; the 8961 has only
    // SCCP_Manager's 540.
    [Theory]
    [InlineData("7811", PhoneSeries.Cisco78xx, 1, 36213, 12)]
    [InlineData("7821", PhoneSeries.Cisco78xx, 2, 621, 12)]
    [InlineData("7841", PhoneSeries.Cisco78xx, 4, 622, 24)]
    [InlineData("7861", PhoneSeries.Cisco78xx, 16, 623, 24)]
    [InlineData("8811", PhoneSeries.Cisco88xx, 5, 36217, 200)]
    [InlineData("8841", PhoneSeries.Cisco88xx, 5, 683, 200)]
    [InlineData("8845", PhoneSeries.Cisco88xx, 5, 36224, 200)]
    [InlineData("8851", PhoneSeries.Cisco88xx, 5, 684, 200)]
    [InlineData("8861", PhoneSeries.Cisco88xx, 5, 685, 200)]
    [InlineData("8865", PhoneSeries.Cisco88xx, 5, 36225, 200)]
    [InlineData("8941", PhoneSeries.Cisco89xx, 4, 586, 24)]
    [InlineData("8945", PhoneSeries.Cisco89xx, 4, 585, 24)]
    [InlineData("8961", PhoneSeries.Cisco99xx, 5, 540, 200)]
    [InlineData("9951", PhoneSeries.Cisco99xx, 5, 537, 200)]
    [InlineData("9971", PhoneSeries.Cisco99xx, 6, 493, 200)]
    [InlineData("6921", PhoneSeries.Cisco69xx, 2, 495, 12)]
    [InlineData("6941", PhoneSeries.Cisco69xx, 4, 496, 24)]
    [InlineData("6961", PhoneSeries.Cisco69xx, 12, 497, 72)]
    public void Later_series_models_have_their_buttons_ids_and_call_ceilings(string name, PhoneSeries series, int lineKeys, int deviceType, int maxCalls)
    {
        var model = PhoneModels.Find(name);

        Assert.NotNull(model);
        Assert.Equal((PhoneFamily.Sip79x1, series, lineKeys, deviceType, maxCalls), (model.Family, model.Series, model.LineKeys, model.DeviceTypeId, model.MaxCalls));
        Assert.Equal($"Cisco {name}", model.DisplayName);
    }

    [Fact]
    public void Device_type_ids_are_unique_across_models() =>
        Assert.Equal(PhoneModels.All.Count, PhoneModels.All.Select(m => m.DeviceTypeId).Distinct().Count());

    // Spec beyond-79xx A6: 7900 0–3, 6900/8900/9900 0|1 off 2|3 on, 7800/8800 0 off 1 on.
    [Theory]
    [InlineData("7961", "1", "0")]
    [InlineData("8841", "1", "0")]
    [InlineData("7821", "1", "0")]
    [InlineData("8945", "3", "0")]
    [InlineData("9971", "3", "0")]
    [InlineData("6941", "3", "0")]
    public void On_off_fields_are_written_in_each_series_scale(string name, string on, string off)
    {
        var traits = PhoneModels.Find(name)!.Traits;

        Assert.Equal((on, off), (traits.OnOff(true), traits.OnOff(false)));
    }
    [Theory]
    [InlineData("7960G", "7960")]
    [InlineData("cp-7961g-ge", "7961")]
    [InlineData("IP Phone 7942", "7942")]
    [InlineData(" 7975G ", "7975")]
    [InlineData("Cisco 7940", "7940")]
    [InlineData("Cisco 8841", "8841")]
    [InlineData("CP-8865NR", "8865")]
    [InlineData("cp-8851", "8851")]
    [InlineData("CP-6921", "6921")]
    public void Find_accepts_the_names_admins_and_user_agents_use(string text, string expected) =>
        Assert.Equal(expected, PhoneModels.Find(text)?.Name);

    [Theory]
    [InlineData("7912")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("79601")]
    [InlineData("7832")]
    [InlineData("8831")]
    public void Find_returns_null_for_unsupported_models(string? text) => Assert.Null(PhoneModels.Find(text));
}
