-- Meetings (sammanträdesplan): when each organ meets. Cancelling keeps the row.

CREATE TABLE meetings (
  id         bigserial PRIMARY KEY,
  organ      text    NOT NULL REFERENCES organs (code),
  date       date    NOT NULL,
  time       text    CHECK (time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  place      text    CHECK (length(place) <= 500),
  cancelled  boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX meetings_organ_date ON meetings (organ, date);

-- An organ meets at most once a day, cancelled meetings aside.
CREATE UNIQUE INDEX meetings_active_organ_date ON meetings (organ, date) WHERE NOT cancelled;
