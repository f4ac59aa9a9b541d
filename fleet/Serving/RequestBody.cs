using Appliance.Core.Fleet;
using Appliance.Fleet.Rollouts;
using Microsoft.AspNetCore.Http;

namespace Appliance.Fleet.Serving;

/// <summary>Reads a device's request body, refusing more than <see cref="FleetProtocol.MaxRequestBytes"/> before parsing any of it.</summary>
public static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > FleetProtocol.MaxRequestBytes)
        {
            throw TooLarge();
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > FleetProtocol.MaxRequestBytes)
            {
                throw TooLarge();
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static FleetRequestException TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {FleetProtocol.MaxRequestBytes} bytes.");
}
