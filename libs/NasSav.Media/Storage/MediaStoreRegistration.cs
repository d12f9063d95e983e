using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NasSav.Media.Storage.S3;
using NasSav.ServiceDefaults.Configuration;

namespace NasSav.Media.Storage;

public static class MediaStoreRegistration
{
    /// <summary>
    /// The host's <see cref="IMediaStore"/>: the media root folder, or the S3 bucket when <c>Storage:Kind</c> is S3
    /// (validated at start). Each module that reads or writes media calls it; only the first call counts, so the modules
    /// the standalone host composes share one store, and a host without media (the gateway) carries no S3 client.
    /// </summary>
    public static IServiceCollection AddNasSavMediaStore(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(IMediaStore))) return services;
        services.AddValidatedOptions<StorageOptions>(configuration, StorageOptions.Section, StorageOptions.Validate);
        if (configuration.GetSection(StorageOptions.Section).Get<StorageOptions>()?.Kind == StorageKind.S3)
            services.TryAddSingleton<IMediaStore, S3MediaStore>();
        else
            services.TryAddSingleton<IMediaStore, FolderMediaStore>();
        return services;
    }
}
