using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace NasSav.ServiceDefaults.Configuration;

/// <summary>
/// Binds a section and validates it when the host starts, so a typo fails fast with the key named
/// (e.g. "Database:Provider: 'Mysql' is not one of Sqlite, Postgres") instead of at first use.
/// </summary>
public static class OptionsValidation
{
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration,
        string section, Func<T, IEnumerable<string?>>? rules = null) where T : class
    {
        var builder = services.AddOptions<T>();
        builder.Configure(o =>
        {
            try
            {
                configuration.GetSection(section).Bind(o, b => b.ErrorOnUnknownConfiguration = false);
            }
            catch (InvalidOperationException ex)
            {
                // The binder names the full key ("Failed to convert configuration value at 'Database:Provider'...").
                throw new OptionsValidationException(section, typeof(T), [ex.Message]);
            }
        });
        if (rules is not null)
        {
            services.AddSingleton<IValidateOptions<T>>(new RuleValidator<T>(section, rules));
        }
        builder.ValidateOnStart();
        return builder;
    }

    private sealed class RuleValidator<T>(string section, Func<T, IEnumerable<string?>> rules) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var failures = rules(options).Where(e => e is not null).Select(e => $"{section}:{e}").ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures!);
        }
    }
}
