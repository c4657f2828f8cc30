-- Kansli core schema: organs, cases, the append-only case history, deadlines,
-- diarienummer counters, API tokens and idempotency keys.

CREATE TABLE organs (
  code       text PRIMARY KEY CHECK (code ~ '^[a-z0-9_-]{1,64}$'),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
  kind       text NOT NULL CHECK (kind IN ('fullmäktige', 'styrelse', 'nämnd', 'utskott',
                                           'presidium', 'delegation', 'förvaltning')),
  parent     text REFERENCES organs (code) DEFERRABLE INITIALLY DEFERRED,
  presidium  text REFERENCES organs (code) DEFERRABLE INITIALLY DEFERRED,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per (prefix, year): the last number handed out. Incremented inside
-- the registering transaction, so numbers are consecutive and never reused.
CREATE TABLE reference_counters (
  prefix      text    NOT NULL,
  year        integer NOT NULL CHECK (year BETWEEN 1900 AND 2999),
  last_number bigint  NOT NULL CHECK (last_number >= 0),
  PRIMARY KEY (prefix, year)
);

CREATE TABLE cases (
  id                  bigserial PRIMARY KEY,
  reference           text    NOT NULL UNIQUE,
  type                text    NOT NULL CHECK (type IN ('motion', 'remiss')),
  title               text    NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  received            date    NOT NULL,
  state               text    NOT NULL,
  version             bigint  NOT NULL CHECK (version >= 1),
  responsible_organ   text REFERENCES organs (code),
  consulted_organs    jsonb   NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(consulted_organs) = 'array'),
  proposed_outcome    text CHECK (proposed_outcome IN ('approved', 'rejected', 'answered', 'partly_approved')),
  outcome             text CHECK (outcome IN ('approved', 'rejected', 'answered', 'partly_approved')),
  submitters          jsonb   NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(submitters) = 'array'),
  sender              text,
  answer_by           date,
  officer             text,
  notes               text,
  confidential        boolean NOT NULL DEFAULT false,
  reported_unanswered boolean NOT NULL DEFAULT false,
  distributed_on      date,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  CHECK ((type = 'motion' AND state IN ('registered', 'distributed', 'in_preparation', 'answered',
                                        'board_preparation', 'ready_for_council', 'decided',
                                        'written_off', 'withdrawn'))
      OR (type = 'remiss' AND state IN ('registered', 'distributed', 'in_preparation',
                                        'proposal_ready', 'decided', 'answered', 'declined',
                                        'withdrawn')))
);
CREATE INDEX cases_type_state ON cases (type, state);
CREATE INDEX cases_responsible ON cases (responsible_organ);
CREATE INDEX cases_received ON cases (received DESC, id DESC);
CREATE INDEX cases_consulted ON cases USING gin (consulted_organs);

-- The history of a case is evidence (arkivlagen): append-only. The database
-- itself refuses UPDATE, DELETE and TRUNCATE.
CREATE TABLE case_history (
  id            bigserial PRIMARY KEY,
  case_id       bigint  NOT NULL REFERENCES cases (id),
  seq           integer NOT NULL CHECK (seq >= 1),
  event         text    NOT NULL,
  from_state    text,
  to_state      text    NOT NULL,
  date          date    NOT NULL,
  organ         text,
  paragraph     text,
  text          text,
  details       jsonb   NOT NULL DEFAULT '{}',
  actor         text    NOT NULL,
  transition_id text    NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_id, seq)
);
CREATE INDEX case_history_transition ON case_history (transition_id);

CREATE FUNCTION case_history_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'case_history is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER case_history_no_update BEFORE UPDATE OR DELETE ON case_history
  FOR EACH ROW EXECUTE FUNCTION case_history_is_append_only();
CREATE TRIGGER case_history_no_truncate BEFORE TRUNCATE ON case_history
  FOR EACH STATEMENT EXECUTE FUNCTION case_history_is_append_only();

-- Recomputed in the transaction of every change to the case.
CREATE TABLE case_deadlines (
  case_id   bigint  NOT NULL REFERENCES cases (id),
  seq       integer NOT NULL,
  kind      text    NOT NULL,
  label     text    NOT NULL,
  due       date    NOT NULL,
  met_on    date,
  cancelled boolean NOT NULL DEFAULT false,
  basis     text    NOT NULL DEFAULT '',
  organ     text,
  PRIMARY KEY (case_id, seq)
);
CREATE INDEX case_deadlines_open_due ON case_deadlines (due)
  WHERE met_on IS NULL AND NOT cancelled;

CREATE TABLE api_tokens (
  id         bigserial PRIMARY KEY,
  name       text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
  role       text NOT NULL CHECK (role IN ('admin', 'registrar', 'secretary', 'presidium',
                                           'officer', 'reader')),
  token_hash text NOT NULL UNIQUE,  -- SHA-256 of the token, hex; the token itself is never stored
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

CREATE TABLE idempotency_keys (
  scope        text NOT NULL,
  key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  request_hash text NOT NULL,
  status       integer,
  body         text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);
