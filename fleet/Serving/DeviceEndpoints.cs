using System.Text.Json;
using Appliance.Core.Fleet;
using Appliance.Fleet.Identity;
using Appliance.Fleet.Rollouts;
using Appliance.Fleet.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Appliance.Fleet.Serving;

/// <summary>Enrolment (token, no client certificate) and check-in (the client certificate is the identity).</summary>
public sealed class DeviceEndpoints(
    IFleetStore store, FleetCertificateAuthority authority, RolloutEngine engine, int intervalSeconds, CheckInAdmission admission, LastSeenBuffer lastSeen)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost(FleetProtocol.EnrolPath, (Delegate)EnrolAsync);
        routes.MapPost(FleetProtocol.CheckInPath, (Delegate)CheckInAsync);
    }

    private async Task<IResult> EnrolAsync(HttpContext context)
    {
        var request = Parse(await RequestBody.ReadAsync(context.Request, context.RequestAborted), FleetJsonContext.Default.EnrolRequest);
        var (deviceId, certificatePem) = authority.Issue(request.CertificateSigningRequestPem);
        var nowMs = engine.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        await store.InTransactionAsync(async transaction =>
        {
            var token = await transaction.GetEnrolmentTokenAsync(SecretHash.Of(request.Token));
            if (token is null || token.Revoked || token.ExpiresAt <= nowMs)
            {
                throw new FleetRequestException(StatusCodes.Status403Forbidden, "The enrolment token is unknown, expired or revoked.");
            }
            var existing = await transaction.GetDeviceAsync(deviceId);
            if (existing is { RevokedAt: not null })
            {
                throw new FleetRequestException(StatusCodes.Status403Forbidden, "This device has been revoked.");
            }
            if (existing is null)
            {
                if (token.Uses >= token.MaxUses)
                {
                    throw new FleetRequestException(StatusCodes.Status403Forbidden, "The enrolment token is used up.");
                }
                await transaction.InsertDeviceAsync(new DeviceRow
                {
                    Id = deviceId, GroupName = token.GroupName, Hostname = request.Hostname, Bucket = RingAssignment.Bucket(deviceId),
                    EnrolledAt = nowMs, Version = request.Version,
                });
                await transaction.CountEnrolmentAsync(token.Id);
                if (request.Version is { } version)
                {
                    await transaction.AddKnownVersionAsync(version);
                }
                await AuditLog.AppendAsync(transaction, nowMs, "token/" + token.Id, "enrol", RolloutEngine.DeviceSubject(deviceId), null, null,
                    new { group = token.GroupName, hostname = request.Hostname, version = request.Version });
            }
            return true;
        }, context.RequestAborted);
        return Results.Json(new EnrolResponse(deviceId, certificatePem, authority.CertificatePem, intervalSeconds), FleetJsonContext.Default.EnrolResponse);
    }

    private async Task<IResult> CheckInAsync(HttpContext context)
    {
        var certificate = context.Connection.ClientCertificate ?? await context.Connection.GetClientCertificateAsync(context.RequestAborted);
        if (certificate is null)
        {
            throw new FleetRequestException(StatusCodes.Status403Forbidden, "A check-in needs the device's client certificate.");
        }
        using var lease = await admission.AdmitAsync(context);
        var deviceId = FleetCertificateAuthority.DeviceIdOf(certificate);
        var request = Parse(await RequestBody.ReadAsync(context.Request, context.RequestAborted), FleetJsonContext.Default.CheckInRequest);
        var report = DeviceReport.Parse(request.Status)
            ?? throw new FleetRequestException(StatusCodes.Status400BadRequest, "The status lacks booted or boot_state, or a version in it is not a number.");
        foreach (var outcome in request.Outcomes)
        {
            if (outcome.Result is not (FleetProtocol.Succeeded or FleetProtocol.Failed or FleetProtocol.Refused) || string.IsNullOrEmpty(outcome.ActionId))
            {
                throw new FleetRequestException(StatusCodes.Status400BadRequest, $"Outcome '{outcome.ActionId}' has an unknown result '{outcome.Result}'.");
            }
        }
        var buffered = lastSeen.SequenceOf(deviceId);
        if (request.Sequence <= buffered)
        {
            throw new FleetRequestException(StatusCodes.Status409Conflict, $"Sequence {request.Sequence} is not above the last one seen ({buffered}): a replayed or reordered request.");
        }
        var result = await store.ReadOrWriteAsync(transaction => engine.CheckInAsync(transaction, deviceId, request, report), context.RequestAborted);
        if (!result.Recorded)
        {
            lastSeen.Record(deviceId, request.Sequence, engine.Clock.GetUtcNow().ToUnixTimeMilliseconds());
        }
        return Results.Json(result.Response, FleetJsonContext.Default.CheckInResponse);
    }

    private static T Parse<T>(byte[] body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw new FleetRequestException(StatusCodes.Status400BadRequest, "The request body is null.");
        }
        catch (JsonException e)
        {
            throw new FleetRequestException(StatusCodes.Status400BadRequest, $"Malformed request: {e.Message}");
        }
    }
}
