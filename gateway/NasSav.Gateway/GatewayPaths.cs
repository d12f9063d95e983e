namespace NasSav.Gateway;

public static class GatewayPaths
{
    /// <summary>API paths the gateway answers itself (readiness): their endpoints outrank every forwarded route.</summary>
    public const string Own = "/nassav/api/gateway";
}
