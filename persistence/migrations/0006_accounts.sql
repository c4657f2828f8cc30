-- Personal accounts for the web app (name + password), and their sessions.
-- Passwords are stored only as Argon2id hashes (libsodium's crypto_pwhash_str);
-- session tokens only as SHA-256.

CREATE TABLE accounts (
  id              bigserial PRIMARY KEY,
  username        text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._-]{2,64}$'),
  display_name    text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  role            text NOT NULL CHECK (role IN ('admin', 'registrar', 'secretary', 'presidium',
                                                'officer', 'reader')),
  password_hash   text NOT NULL,
  active          boolean NOT NULL DEFAULT true,
  failed_logins   integer NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  token_hash  text PRIMARY KEY,  -- SHA-256 of the cookie value, hex
  account_id  bigint NOT NULL REFERENCES accounts (id),
  csrf_token  text NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);
