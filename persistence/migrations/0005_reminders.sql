-- Reminders before and after deadlines, the people and webhooks that receive
-- them, and the outbox of notifications and their deliveries.

-- When reminders go out, per deadline kind ("*": every other kind).
CREATE TABLE reminder_rules (
  kind           text      PRIMARY KEY CHECK (length(kind) BETWEEN 1 AND 64),
  days_before    integer[] NOT NULL,
  on_the_day     boolean   NOT NULL DEFAULT true,
  overdue_every  integer   NOT NULL CHECK (overdue_every BETWEEN 0 AND 365),
  escalate_after integer   NOT NULL CHECK (escalate_after BETWEEN 0 AND 3650),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
INSERT INTO reminder_rules (kind, days_before, on_the_day, overdue_every, escalate_after)
VALUES ('*', '{30,14,7,1}', true, 7, 14);

CREATE TABLE recipients (
  id         bigserial PRIMARY KEY,
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  email      text NOT NULL CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
  function   text NOT NULL CHECK (function IN ('officer', 'secretary', 'chair', 'kansli')),
  organ      text REFERENCES organs (code),
  active     boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhooks (
  id         bigserial PRIMARY KEY,
  url        text NOT NULL CHECK (url ~ '^https?://'),
  secret     text NOT NULL CHECK (length(secret) BETWEEN 16 AND 200),
  active     boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Planned in the transaction that computes the case's deadlines.
CREATE TABLE reminders (
  id            bigserial PRIMARY KEY,
  case_id       bigint  NOT NULL REFERENCES cases (id),
  deadline_seq  integer NOT NULL,
  deadline_kind text    NOT NULL,
  deadline_due  date    NOT NULL,
  step          text    NOT NULL,  -- before:30 | on_day | overdue:14
  fire_on       date    NOT NULL,
  fire_at       timestamptz NOT NULL,
  escalate      boolean NOT NULL DEFAULT false,
  status        text    NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'fired', 'cancelled', 'dropped')),
  note          text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  done_at       timestamptz,
  UNIQUE (case_id, deadline_seq, deadline_kind, deadline_due, step)
);
CREATE INDEX reminders_due ON reminders (fire_at, id) WHERE status = 'pending';
CREATE INDEX reminders_pending_case ON reminders (case_id) WHERE status = 'pending';

CREATE TABLE notifications (
  id          bigserial PRIMARY KEY,
  case_id     bigint REFERENCES cases (id),
  reminder_id bigint UNIQUE REFERENCES reminders (id),  -- one message per reminder, ever
  kind        text NOT NULL,
  subject     text NOT NULL,
  body        text NOT NULL,
  payload     jsonb NOT NULL,
  created_at  timestamptz NOT NULL
);
CREATE INDEX notifications_case ON notifications (case_id, id);

-- The outbox: one row per channel target, sent after commit, at least once.
CREATE TABLE deliveries (
  id              bigserial PRIMARY KEY,
  notification_id bigint  NOT NULL REFERENCES notifications (id),
  channel         text    NOT NULL CHECK (channel IN ('email', 'webhook')),
  target          text    NOT NULL,
  webhook_id      bigint REFERENCES webhooks (id),
  status          text    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_error      text,
  claimed_by      text,
  lease_until     timestamptz,
  sent_at         timestamptz
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX deliveries_notification ON deliveries (notification_id);
