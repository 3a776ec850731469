-- The sandbox (test keys, fsk_test_…): simulated SMS (POST /v1/sandbox/sms) go through the same pipeline as a modem
-- gateway's, so their raw reports and messages need a gateway row to belong to. This row is that gateway
-- (common.sandbox.Sandbox.GATEWAY_ID, the gateway catalog-service gives every sandbox number). It is no modem gateway:
-- its token hash is not a hex SHA-256, so no token authenticates as it; the admin routes neither list nor rotate it,
-- and android-sms-gateway's route does not know it. No modem gateway can ever have its id (primary key).
INSERT INTO gateway (id, name, token_hash, token_prefix, credential_version, created_at)
VALUES ('00000000-0000-4000-8000-00000000005b', 'sandbox (simulated SMS, not a modem gateway)',
        'none: the sandbox has no token', '', 1, now())
ON CONFLICT (id) DO NOTHING;
