namespace NasSav.Gateway;

public static class GatewayPaths
{
    /// <summary>API paths the gateway answers itself (readiness): never forwarded, whatever the routes say.</summary>
    public const string Own = "/nassav/api/gateway";
}
