-- bench/deadlines_scale.sql — a national-scale Kansli database, generated set-based (no per-row
-- round trips). Run by bench/deadlines_scale as the cluster's superuser on a freshly migrated
-- database:
--   psql -v cases=1000000 -v orgs=300 -v today=2026-12-04 -f bench/deadlines_scale.sql
--
-- What it makes (see docs/benchmarks.md):
--   * :orgs organisations, each with 9 organs: fullmäktige rf-NNN (presidium rf-NNN-pres),
--     styrelse rs-NNN, nämnder fs-NNN, ana-NNN, tim-NNN (each with a presidium *-pres);
--   * meetings 2019–2027 for every organ, 10 a year (not in July and August), one a day at most;
--     a presidium meets 7 days before its organ;
--   * :cases cases, about 70 % motions and 30 % remisser, spread evenly over the organisations,
--     received 2019-01-01 .. :today - 1, in states that depend on their age; each with its
--     'register' history row and the deadlines ComputeDeadlines (workflow/deadlines.cc) gives
--     them: motions decision_due, report_due (+ answer_due once distributed); remisser answer_by
--     (+ decision_meeting and proposal_due once distributed). Closed cases have every deadline
--     met or cancelled.
-- Simplification: a computed due date that falls on a weekend moves to the Monday; Swedish public
-- holidays (workflow/calendar.cc) are ignored.
--
-- The inserts into `cases` go through its triggers (the search vector). The history and the
-- deadlines are inserted with session_replication_role = replica: that skips the foreign-key
-- checks and the trigger that appends a history text to cases.history_text; the generator sets
-- history_text to exactly what that trigger would have made (' ' || title).
-- Each phase prints one line "phase <name> <seconds>".

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET synchronous_commit = off;
SET work_mem = '256MB';
SET maintenance_work_mem = '1GB';
SET DateStyle = ISO;
SET TimeZone = 'Europe/Stockholm';
SELECT setseed(0.20261204) AS seeded \gset

CREATE FUNCTION pg_temp.wd(d date) RETURNS date
LANGUAGE sql IMMUTABLE AS $$
  SELECT d + CASE extract(isodow FROM d)::int WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END
$$;
CREATE FUNCTION pg_temp.ymd(d date) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT to_char(d, 'YYYY-MM-DD') $$;

-- ---------------------------------------------------------------------------------------------
-- Organisations, organs, meetings
SELECT clock_timestamp() AS t0 \gset

CREATE TEMP TABLE bench_org AS
SELECT g AS org, lpad(g::text, 3, '0') AS nnn,
       -- A diarienummer prefix of letters only (ParseReference): RAAA, RAAB, ...
       'R' || chr(65 + ((g - 1) / 676) % 26) || chr(65 + ((g - 1) / 26) % 26) ||
       chr(65 + (g - 1) % 26) AS prefix
  FROM generate_series(1, :orgs) g;

CREATE TEMP TABLE bench_organ AS
SELECT o.org, o.nnn, t.stem, t.suffix, t.kind, t.slot,
       t.stem || '-' || o.nnn || t.suffix AS code,
       t.name || ' (organisation ' || o.nnn || ')' AS name,
       CASE WHEN t.parent IS NOT NULL THEN t.parent || '-' || o.nnn END AS parent,
       CASE WHEN t.has_pres THEN t.stem || '-' || o.nnn || '-pres' END AS presidium
  FROM bench_org o
 CROSS JOIN (VALUES
   ('rf',  '',      'Fullmäktige',                                           'fullmäktige', NULL, true,  0),
   ('rf',  '-pres', 'Fullmäktiges presidium',                                'presidium',   'rf', false, 0),
   ('rs',  '',      'Styrelsen',                                             'styrelse',    'rf', false, 1),
   ('fs',  '',      'Nämnd för folkhälsa och sjukvård',                      'nämnd',       'rf', true,  2),
   ('fs',  '-pres', 'Presidium – Nämnd för folkhälsa och sjukvård',          'presidium',   'fs', false, 2),
   ('ana', '',      'Nämnd för arbetsmarknad, näringsliv och attraktivitet', 'nämnd',       'rf', true,  3),
   ('ana', '-pres', 'Presidium – Nämnd för arbetsmarknad, näringsliv och attraktivitet', 'presidium', 'ana', false, 3),
   ('tim', '',      'Nämnd för trafik, infrastruktur och miljö',             'nämnd',       'rf', true,  4),
   ('tim', '-pres', 'Presidium – Nämnd för trafik, infrastruktur och miljö', 'presidium',   'tim', false, 4)
 ) AS t (stem, suffix, name, kind, parent, has_pres, slot);

-- The presidium's parent reference is deferred (DEFERRABLE INITIALLY DEFERRED): one statement.
INSERT INTO organs (code, name, kind, parent, presidium)
SELECT code, name, kind, parent, presidium FROM bench_organ ORDER BY org, slot, suffix;

-- An organ meets on the same weekday-adjusted day of each month (its own day, 4th–21st); a
-- presidium 7 days before its organ (a weekday too).
INSERT INTO meetings (organ, date, time, place, created_at, updated_at)
SELECT b.code,
       pg_temp.wd(make_date(y, m, 1) + 3 + (b.org * 7 + b.slot * 5) % 18)
         - CASE WHEN b.suffix = '-pres' THEN 7 ELSE 0 END,
       CASE WHEN b.suffix = '-pres' THEN '08:30' ELSE '09:00' END,
       'Sammanträdesrummet', now(), now()
  FROM bench_organ b
 CROSS JOIN generate_series(2019, 2027) AS y
 CROSS JOIN unnest(ARRAY[1, 2, 3, 4, 5, 6, 9, 10, 11, 12]) AS m
 ORDER BY 2, 1;
ANALYZE organs;
ANALYZE meetings;

SELECT format('phase organs_meetings %s', round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)::numeric, 1)) AS msg \gset
\echo :msg

-- ---------------------------------------------------------------------------------------------
-- The cases, staged: random draws, then states, then dates and deadlines.
SELECT clock_timestamp() AS t0 \gset

CREATE UNLOGGED TABLE bench_gen AS
SELECT i,
       1 + floor(random() * :orgs)::int AS org,
       CASE WHEN random() < 0.7 THEN 'motion' ELSE 'remiss' END AS type,
       date '2019-01-01' + floor(random() * (:'today'::date - date '2019-01-01'))::int AS received,
       random() AS r_state, random() AS r_organ, random() AS r_answer, random() AS r_dist,
       random() AS r_adopt, random() AS r_decide, random() AS r_sent, random() AS r_outcome,
       floor(random() * 1000000)::int AS r_pick
  FROM generate_series(1, :cases) AS i;

CREATE UNLOGGED TABLE bench_state AS
SELECT s.*,
       CASE WHEN s.type = 'motion' THEN
         CASE
           WHEN s.age < 45 THEN CASE WHEN s.r_state < 0.6 THEN 'registered' ELSE 'distributed' END
           WHEN s.age < 183 THEN CASE
             WHEN s.r_state < 0.05 THEN 'registered'       WHEN s.r_state < 0.30 THEN 'distributed'
             WHEN s.r_state < 0.92 THEN 'in_preparation'   WHEN s.r_state < 0.96 THEN 'answered'
             ELSE 'withdrawn' END
           WHEN s.age < 365 THEN CASE
             WHEN s.r_state < 0.03 THEN 'distributed'      WHEN s.r_state < 0.38 THEN 'in_preparation'
             WHEN s.r_state < 0.58 THEN 'answered'         WHEN s.r_state < 0.73 THEN 'board_preparation'
             WHEN s.r_state < 0.83 THEN 'ready_for_council' WHEN s.r_state < 0.95 THEN 'decided'
             ELSE 'withdrawn' END
           WHEN s.age < 730 THEN CASE
             WHEN s.r_state < 0.02 THEN 'in_preparation'   WHEN s.r_state < 0.04 THEN 'answered'
             WHEN s.r_state < 0.06 THEN 'board_preparation' WHEN s.r_state < 0.08 THEN 'ready_for_council'
             WHEN s.r_state < 0.90 THEN 'decided'          WHEN s.r_state < 0.94 THEN 'written_off'
             ELSE 'withdrawn' END
           ELSE CASE
             WHEN s.r_state < 0.005 THEN 'in_preparation'  WHEN s.r_state < 0.01 THEN 'board_preparation'
             WHEN s.r_state < 0.90 THEN 'decided'          WHEN s.r_state < 0.95 THEN 'written_off'
             ELSE 'withdrawn' END
         END
       ELSE
         CASE
           WHEN s.answer_by >= :'today'::date THEN CASE
             WHEN s.r_state < 0.15 THEN 'registered'       WHEN s.r_state < 0.40 THEN 'distributed'
             WHEN s.r_state < 0.80 THEN 'in_preparation'   WHEN s.r_state < 0.93 THEN 'proposal_ready'
             ELSE 'decided' END
           WHEN :'today'::date - s.answer_by < 60 THEN CASE
             WHEN s.r_state < 0.04 THEN 'in_preparation'   WHEN s.r_state < 0.06 THEN 'proposal_ready'
             WHEN s.r_state < 0.10 THEN 'decided'          WHEN s.r_state < 0.90 THEN 'answered'
             WHEN s.r_state < 0.96 THEN 'declined'         ELSE 'withdrawn' END
           ELSE CASE
             WHEN s.r_state < 0.005 THEN 'in_preparation'  WHEN s.r_state < 0.01 THEN 'decided'
             WHEN s.r_state < 0.89 THEN 'answered'         WHEN s.r_state < 0.96 THEN 'declined'
             ELSE 'withdrawn' END
         END
       END AS state
  FROM (SELECT g.*, o.nnn, o.prefix,
               :'today'::date - g.received AS age,
               'rf-' || o.nnn AS rf,
               (ARRAY['fs', 'ana', 'tim'])[1 + floor(g.r_organ * 3)::int] || '-' || o.nnn AS namnd,
               CASE WHEN g.type = 'remiss'
                    THEN pg_temp.wd(g.received + 21 + floor(g.r_answer * 64)::int) END AS answer_by
          FROM bench_gen g JOIN bench_org o USING (org)) AS s;
DROP TABLE bench_gen;

-- Dates of the events that meet deadlines, and the computed due dates.
CREATE UNLOGGED TABLE bench_dates AS
SELECT d.*,
       CASE WHEN d.type = 'motion' AND d.distributed
            THEN pg_temp.wd((d.dist_on + interval '6 months')::date) END AS ans_due,
       CASE WHEN d.type = 'motion' AND d.state IN ('answered', 'board_preparation',
                                                   'ready_for_council', 'decided')
            THEN least(d.dist_on + 60 + floor(d.r_adopt * 150)::int, :'today'::date - 1) END AS adopted_on
  FROM (SELECT s.*,
               s.state <> 'registered' AS distributed,
               s.state IN ('decided', 'written_off', 'withdrawn', 'answered', 'declined')
                 AND NOT (s.type = 'remiss' AND s.state = 'decided')
                 AND NOT (s.type = 'motion' AND s.state = 'answered') AS closed,
               CASE WHEN s.state <> 'registered' THEN
                 least(s.received + CASE WHEN s.type = 'motion' THEN 7 + floor(s.r_dist * 45)::int
                                         ELSE 1 + floor(s.r_dist * 6)::int END,
                       :'today'::date - 1) END AS dist_on,
               CASE WHEN s.type = 'motion' THEN (s.received + interval '1 year')::date END AS dd_raw,
               CASE WHEN s.type = 'motion'
                    THEN pg_temp.wd((s.received + interval '1 year')::date) END AS dd_due,
               CASE WHEN s.type = 'remiss' AND s.state = 'answered'
                    THEN greatest(s.received + 1, least(s.answer_by - 10 + floor(s.r_sent * 14)::int,
                                                        :'today'::date - 1)) END AS sent_on
          FROM bench_state s) AS d;
DROP TABLE bench_state;

-- Back-scheduled deadlines: the organ's last meeting on or before `latest` (the meeting plan
-- covers 2019–2027); NULL when there is none, and then `due` is `latest` itself.
CREATE UNLOGGED TABLE bench_case AS
SELECT x.*,
       CASE WHEN x.type = 'remiss' AND x.distributed THEN
         (SELECT max(m.date) FROM meetings m
           WHERE m.organ = x.namnd || '-pres' AND NOT m.cancelled
             AND m.date <= coalesce(x.dm_day, x.answer_by - 7) - 1) END AS pd_day
  FROM (SELECT b.*,
               CASE WHEN b.type = 'motion' THEN
                 (SELECT max(m.date) FROM meetings m
                   WHERE m.organ = b.rf AND NOT m.cancelled AND m.date <= b.dd_due) END AS rd_day,
               CASE WHEN b.type = 'remiss' AND b.distributed THEN
                 (SELECT max(m.date) FROM meetings m
                   WHERE m.organ = b.namnd AND NOT m.cancelled AND m.date <= b.answer_by - 7) END AS dm_day,
               CASE WHEN b.type = 'motion' AND b.state = 'decided' THEN
                 least(b.adopted_on + 14 + floor(b.r_decide * 120)::int, :'today'::date - 1) END AS decided_on
          FROM bench_dates b) AS x;
DROP TABLE bench_dates;
ANALYZE bench_case;

SELECT format('phase staging %s', round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)::numeric, 1)) AS msg \gset
\echo :msg

-- ---------------------------------------------------------------------------------------------
-- cases (through the search-vector trigger)
SELECT clock_timestamp() AS t0 \gset

INSERT INTO cases (id, reference, type, title, received, state, version, responsible_organ,
                   consulted_organs, proposed_outcome, outcome, submitters, sender, answer_by,
                   officer, notes, confidential, reported_unanswered, distributed_on, created_at,
                   updated_at, history_text)
SELECT c.i,
       c.prefix || ' ' || extract(year FROM c.received)::int || '/' ||
         row_number() OVER (PARTITION BY c.org, extract(year FROM c.received) ORDER BY c.received, c.i),
       c.type,
       c.title,
       c.received,
       c.state,
       -- one version per history row: closed motions also have their closing row (below)
       CASE WHEN c.type = 'motion' AND c.state IN ('decided', 'withdrawn', 'written_off')
            THEN 2 ELSE 1 END,
       CASE WHEN c.distributed THEN c.namnd END,
       '[]',
       c.proposed,
       CASE WHEN c.state IN ('decided', 'answered') AND NOT (c.type = 'motion' AND c.state = 'answered')
            THEN c.proposed END,
       CASE WHEN c.type = 'motion' THEN
         jsonb_build_array(jsonb_build_object(
           'name', (ARRAY['Anna', 'Erik', 'Maria', 'Lars', 'Karin', 'Anders', 'Eva', 'Johan', 'Sara',
                          'Mikael', 'Kristina', 'Per', 'Elisabeth', 'Bengt-Ove', 'Malin',
                          'Mattias'])[1 + c.r_pick % 16] || ' ' ||
                   (ARRAY['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson',
                          'Olsson', 'Persson', 'Svensson', 'Gustafsson', 'Pettersson', 'Jonsson',
                          'Nero', 'Ekvall', 'Töre', 'Lindqvist', 'Berg'])[1 + (c.r_pick / 16) % 17],
           'party', (ARRAY['S', 'M', 'SD', 'C', 'V', 'KD', 'L', 'MP'])[1 + (c.r_pick / 272) % 8]))
       ELSE '[]' END,
       CASE WHEN c.type = 'remiss' THEN
         (ARRAY['Socialdepartementet', 'Infrastrukturdepartementet', 'Finansdepartementet',
                'Klimat- och näringslivsdepartementet', 'Utbildningsdepartementet',
                'Kulturdepartementet', 'Socialstyrelsen', 'Trafikverket'])[1 + c.r_pick % 8] END,
       c.answer_by,
       CASE WHEN c.distributed THEN 'Handläggare ' || (1 + c.r_pick % 40) END,
       NULL,
       false,
       false,
       c.dist_on,
       c.received + time '10:00',
       coalesce(c.decided_on, c.sent_on, c.adopted_on, c.dist_on, c.received) + time '15:00',
       ' ' || c.title
  FROM (SELECT b.*,
               CASE WHEN b.type = 'motion' THEN 'Motion om ' ELSE 'Remiss: ' END ||
               (ARRAY['kultur för hälsa', 'kollektivtrafik på landsbygden', 'vårdköer',
                      'psykisk hälsa bland unga', 'förlossningsvården', 'tandvård för äldre',
                      'cykelvägar mellan tätorter', 'digitala vårdbesök', 'ambulanssjukvården',
                      'klimatanpassning', 'regional utvecklingsstrategi', 'folkhögskolorna',
                      'jämlik vård', 'hälsocentraler i glesbygd', 'läkemedelskostnader',
                      'bemanningsföretag i vården', 'länstrafikens biljettpriser',
                      'friskvård för anställda', 'solceller på regionens fastigheter',
                      'närproducerad mat', 'kompetensförsörjning', 'hyrläkare',
                      'barn- och ungdomspsykiatrin', 'screening för prostatacancer',
                      'tillgänglighet för funktionsnedsatta', 'besöksnäringen',
                      'bredband på landsbygden', 'äldres läkemedelsanvändning',
                      'arbetsmiljön på akuten', 'våld i nära relationer', 'öppettider på vårdcentraler',
                      'elektrifiering av bussar'])[1 + (b.r_pick / 7) % 32] ||
               CASE WHEN b.r_pick % 3 = 0 THEN ' i ' ||
                 (ARRAY['länet', 'regionen', 'glesbygden', 'städerna'])[1 + (b.r_pick / 11) % 4]
                    ELSE '' END AS title,
               CASE
                 WHEN b.type = 'remiss' AND b.state IN ('proposal_ready', 'decided', 'answered')
                   THEN 'answered'
                 WHEN b.type = 'motion' AND (b.state IN ('answered', 'board_preparation',
                                                         'ready_for_council', 'decided')
                                             OR (b.state = 'in_preparation' AND b.r_outcome < 0.2))
                   THEN (ARRAY['rejected', 'rejected', 'approved', 'partly_approved',
                               'answered'])[1 + floor(b.r_outcome * 5)::int]
               END AS proposed
          FROM bench_case b) AS c
 ORDER BY c.i;
SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases)) AS last_id \gset

INSERT INTO reference_counters (prefix, year, last_number)
SELECT split_part(reference, ' ', 1), split_part(split_part(reference, ' ', 2), '/', 1)::int,
       max(split_part(reference, '/', 2)::bigint)
  FROM cases GROUP BY 1, 2;

SELECT format('phase cases %s', round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)::numeric, 1)) AS msg \gset
\echo :msg

-- ---------------------------------------------------------------------------------------------
-- case_history: one 'register' row per case, and a closing row for closed motions
SELECT clock_timestamp() AS t0 \gset
SET session_replication_role = replica;

INSERT INTO case_history (case_id, seq, event, from_state, to_state, date, organ, paragraph, text,
                          details, actor, transition_id, recorded_at)
SELECT c.id, 1, 'register', NULL, 'registered', c.received, NULL, NULL, c.title,
       jsonb_strip_nulls(jsonb_build_object('type', c.type, 'title', c.title,
                                            'received', pg_temp.ymd(c.received),
                                            'reference', c.reference, 'sender', c.sender,
                                            'answer_by', pg_temp.ymd(c.answer_by),
                                            'submitters', CASE WHEN c.type = 'motion' THEN c.submitters END)),
       'token:bench-generator', 'bench-' || c.id, c.created_at
  FROM cases c
 ORDER BY c.id;

-- Closed motions: the row that closed them (decide, withdraw, write_off), dated the case's last
-- change, so that the KL 5 kap. 35 § report (which reads the history) sees them as closed. No
-- text: the search trigger would not have appended anything.
INSERT INTO case_history (case_id, seq, event, from_state, to_state, date, organ, paragraph, text,
                          details, actor, transition_id, recorded_at)
SELECT c.id, 2,
       CASE c.state WHEN 'decided' THEN 'decide' WHEN 'withdrawn' THEN 'withdraw' ELSE 'write_off' END,
       CASE c.state WHEN 'decided' THEN 'ready_for_council' WHEN 'withdrawn' THEN 'registered'
                    ELSE 'distributed' END,
       c.state, c.updated_at::date,
       CASE WHEN c.state = 'decided' THEN 'rf-' || split_part(c.responsible_organ, '-', 2) END,
       NULL, NULL,
       CASE WHEN c.state = 'decided' THEN jsonb_strip_nulls(jsonb_build_object('outcome', c.outcome)) ELSE '{}' END,
       'token:bench-generator', 'bench-' || c.id || '-2', c.updated_at
  FROM cases c
 WHERE c.type = 'motion' AND c.state IN ('decided', 'withdrawn', 'written_off')
 ORDER BY c.id;

SELECT format('phase history %s', round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)::numeric, 1)) AS msg \gset
\echo :msg

-- ---------------------------------------------------------------------------------------------
-- case_deadlines, in ComputeDeadlines' order (seq): the main deadline, the back-scheduled ones,
-- then answer_due. Closed cases: every deadline not met is cancelled.
SELECT clock_timestamp() AS t0 \gset

INSERT INTO case_deadlines (case_id, seq, kind, label, due, met_on, cancelled, basis, organ,
                            latest, from_meeting_plan)
SELECT d.case_id, d.seq, d.kind, d.label, d.due, d.met_on, d.closed AND d.met_on IS NULL, d.basis,
       d.organ, d.latest, d.from_meeting_plan
  FROM (
    -- motion: decision_due
    SELECT b.i AS case_id, 1 AS seq, 'decision_due' AS kind,
           'Beslut i fullmäktige (KL 5 kap. 35 §)' AS label, b.dd_due AS due, b.decided_on AS met_on,
           'Inkom ' || pg_temp.ymd(b.received) || ' + 1 år' ||
             CASE WHEN b.dd_due <> b.dd_raw THEN ' = ' || pg_temp.ymd(b.dd_raw) ||
                  ', flyttad till nästa vardag (lag 1930:173)' ELSE '' END AS basis,
           b.rf AS organ, NULL::date AS latest, false AS from_meeting_plan, b.closed
      FROM bench_case b WHERE b.type = 'motion'
    UNION ALL
    -- motion: report_due, back-scheduled from fullmäktige's plan
    SELECT b.i, 2, 'report_due', 'Beslut eller redovisning i fullmäktige',
           coalesce(b.rd_day, b.dd_due), b.decided_on,
           CASE WHEN b.rd_day IS NOT NULL
                THEN 'Sammanträde i Fullmäktige (organisation ' || b.nnn || ') ' || pg_temp.ymd(b.rd_day) ||
                     ': sista före ' || pg_temp.ymd(b.dd_due) || ' (beslut inom ett år, KL 5 kap. 35 §)'
                ELSE 'Inget sammanträde i Fullmäktige (organisation ' || b.nnn || ') planerat på eller före ' ||
                     pg_temp.ymd(b.dd_due) || ': kalenderdatum (beslut inom ett år, KL 5 kap. 35 §)' END,
           b.rf, b.dd_due, b.rd_day IS NOT NULL, b.closed
      FROM bench_case b WHERE b.type = 'motion'
    UNION ALL
    -- motion: answer_due, once distributed
    SELECT b.i, 3, 'answer_due', 'Svar från ansvarig nämnd', b.ans_due, b.adopted_on,
           'Fördelad ' || pg_temp.ymd(b.dist_on) || ' + 6 månader' ||
             CASE WHEN b.ans_due <> (b.dist_on + interval '6 months')::date
                  THEN ' = ' || pg_temp.ymd((b.dist_on + interval '6 months')::date) ||
                       ', flyttad till nästa vardag (lag 1930:173)' ELSE '' END,
           b.namnd, NULL, false, b.closed
      FROM bench_case b WHERE b.type = 'motion' AND b.distributed
    UNION ALL
    -- remiss: answer_by (the nämnd's once distributed)
    SELECT b.i, 1, 'answer_by', 'Remissvar till avsändaren', b.answer_by, b.sent_on,
           'Avsändarens sista svarsdag', CASE WHEN b.distributed THEN b.namnd END, NULL, false,
           b.closed
      FROM bench_case b WHERE b.type = 'remiss'
    UNION ALL
    -- remiss: decision_meeting, back-scheduled from the nämnd's plan
    SELECT b.i, 2, 'decision_meeting', 'Beslut om remissvar',
           coalesce(b.dm_day, b.answer_by - 7),
           CASE WHEN b.state = 'answered' THEN least(coalesce(b.dm_day, b.answer_by - 7), b.sent_on)
                WHEN b.state = 'decided' THEN least(coalesce(b.dm_day, b.answer_by - 7), :'today'::date - 1) END,
           CASE WHEN b.dm_day IS NOT NULL
                THEN 'Sammanträde i ' || o.name || ' ' || pg_temp.ymd(b.dm_day) || ': sista före ' ||
                     pg_temp.ymd(b.answer_by - 7)
                ELSE 'Inget sammanträde i ' || o.name || ' planerat på eller före ' ||
                     pg_temp.ymd(b.answer_by - 7) || ': kalenderdatum' END ||
             ' (svar senast ' || pg_temp.ymd(b.answer_by) || ', 7 dagar för expediering)',
           b.namnd, b.answer_by - 7, b.dm_day IS NOT NULL, b.closed
      FROM bench_case b JOIN organs o ON o.code = b.namnd
     WHERE b.type = 'remiss' AND b.distributed
    UNION ALL
    -- remiss: proposal_due, back-scheduled from the nämnd presidium's plan
    SELECT b.i, 3, 'proposal_due', 'Förslag till remissvar (presidiet)',
           coalesce(b.pd_day, coalesce(b.dm_day, b.answer_by - 7) - 1),
           CASE WHEN b.state IN ('proposal_ready', 'decided', 'answered')
                THEN least(coalesce(b.pd_day, coalesce(b.dm_day, b.answer_by - 7) - 1),
                           coalesce(b.sent_on, :'today'::date - 1)) END,
           CASE WHEN b.pd_day IS NOT NULL
                THEN 'Sammanträde i ' || o.name || ' ' || pg_temp.ymd(b.pd_day) || ': sista före ' ||
                     pg_temp.ymd(coalesce(b.dm_day, b.answer_by - 7) - 1)
                ELSE 'Inget sammanträde i ' || o.name || ' planerat på eller före ' ||
                     pg_temp.ymd(coalesce(b.dm_day, b.answer_by - 7) - 1) || ': kalenderdatum' END ||
             ' (före beslutet ' || pg_temp.ymd(coalesce(b.dm_day, b.answer_by - 7)) || ')',
           b.namnd || '-pres', coalesce(b.dm_day, b.answer_by - 7) - 1, b.pd_day IS NOT NULL, b.closed
      FROM bench_case b JOIN organs o ON o.code = b.namnd || '-pres'
     WHERE b.type = 'remiss' AND b.distributed
  ) AS d
 ORDER BY d.case_id, d.seq;

SET session_replication_role = DEFAULT;
DROP TABLE bench_case;

SELECT format('phase deadlines %s', round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)::numeric, 1)) AS msg \gset
\echo :msg
