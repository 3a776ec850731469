-- Sessions signed out before they expire (POST /v1/auth/logout): the token's jti, until the token would expire.
CREATE TABLE session_revocation (
    session_id uuid PRIMARY KEY,
    account_id uuid NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX session_revocation_expires_at ON session_revocation (expires_at);

-- Signed out everywhere (POST /v1/auth/logout-all): every session issued at or before this instant is refused.
ALTER TABLE account ADD COLUMN sessions_valid_after timestamptz;
