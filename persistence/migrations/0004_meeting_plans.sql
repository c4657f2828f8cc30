-- Deadlines back-scheduled from meeting plans, and paragraph numbers (§) per
-- organ and calendar year.

-- For report_due, decision_meeting and proposal_due: the latest day a meeting
-- may be on, and whether `due` is a planned meeting (false: the plan does not
-- reach that far, so `due` is the calendar date `latest`).
ALTER TABLE case_deadlines ADD COLUMN latest date;
ALTER TABLE case_deadlines ADD COLUMN from_meeting_plan boolean NOT NULL DEFAULT false;

-- A meeting added, moved or cancelled finds the deadlines it can move (met
-- ones too, so that a met deadline still shows the meeting it was due at).
CREATE INDEX case_deadlines_scheduled ON case_deadlines (organ, latest)
  WHERE latest IS NOT NULL AND NOT cancelled;
-- An organ's open deadlines by date (agendas, GET /deadlines?organ=).
CREATE INDEX case_deadlines_open_organ ON case_deadlines (organ, due)
  WHERE met_on IS NULL AND NOT cancelled;

-- The last paragraph number handed out or used per organ and year. Its row
-- is locked by the transaction that numbers an event, so numbers never repeat.
CREATE TABLE paragraph_series (
  organ       text    NOT NULL REFERENCES organs (code),
  year        integer NOT NULL CHECK (year BETWEEN 1900 AND 2999),
  last_number integer NOT NULL CHECK (last_number >= 0),
  PRIMARY KEY (organ, year)
);

-- Which sitting (organ and day) used each number: one number, one sitting;
-- one sitting may use a number for several cases.
CREATE TABLE paragraph_uses (
  organ  text    NOT NULL REFERENCES organs (code),
  year   integer NOT NULL CHECK (year BETWEEN 1900 AND 2999),
  number integer NOT NULL CHECK (number >= 1),
  day    date    NOT NULL CHECK (extract(year FROM day) = year),
  PRIMARY KEY (organ, year, number)
);

-- The numbers already in the history count as used (the first sitting wins).
INSERT INTO paragraph_uses (organ, year, number, day)
SELECT DISTINCT ON (h.organ, extract(year FROM h.date), n.number)
       h.organ, extract(year FROM h.date)::int, n.number, h.date
  FROM case_history h
  JOIN organs o ON o.code = h.organ
  CROSS JOIN LATERAL (SELECT (regexp_match(h.paragraph, '^\s*§\s*([0-9]{1,6})\s*$'))[1]::int AS number) n
 WHERE n.number >= 1
 ORDER BY h.organ, extract(year FROM h.date), n.number, h.date;

INSERT INTO paragraph_series (organ, year, last_number)
SELECT organ, year, max(number) FROM paragraph_uses GROUP BY organ, year;
