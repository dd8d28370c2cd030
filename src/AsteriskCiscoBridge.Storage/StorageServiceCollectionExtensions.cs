using Microsoft.Extensions.DependencyInjection;

namespace AsteriskCiscoBridge.Storage;

/// <summary>Registration of the store in a service container.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds one <see cref="SqliteConnectionFactory"/> over <paramref name="options"/> and one of each store
    /// reading through it. Nothing is opened here: the schema is created or migrated by
    /// <see cref="SqliteConnectionFactory.MigrateAsync"/> before the host starts.
    /// </summary>
    public static IServiceCollection AddBridgeStorage(this IServiceCollection services, StorageOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(new SqliteConnectionFactory(options));
        services.AddSingleton<PhoneStore>();
        services.AddSingleton<ConfigStore>();
        services.AddSingleton<DiscoveryStore>();
        services.AddSingleton<SnapshotStore>();
        services.AddSingleton<FirmwareStore>();
        services.AddSingleton<RemovalHoldStore>();
        services.AddSingleton<NotifyLog>();
        services.AddSingleton<ResyncQueue>();
        services.AddSingleton<RequestLog>();
        services.AddSingleton<RequestHistory>();
        services.AddSingleton<AuditLog>();
        return services;
    }
}
