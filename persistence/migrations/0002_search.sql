-- Swedish full-text search over a case's title, submitters, sender and the
-- texts of its history. `search` holds two vectors: Swedish stems (so
-- "motionerna" finds "motion") and the words with å, ä, ö folded to a, a, o
-- (so "halsa" finds "hälsa"). Queries match word starts (prefix :*).

ALTER TABLE cases ADD COLUMN history_text text NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN search tsvector NOT NULL DEFAULT ''::tsvector;

CREATE FUNCTION kansli_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT translate(lower(t), 'åäöéèüáà', 'aaoeeuaa')
$$;

CREATE FUNCTION kansli_search_vector(title text, sender text, submitters jsonb, history_text text)
RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('swedish', coalesce(title, '')), 'A') ||
         to_tsvector('swedish', doc) || to_tsvector('simple', kansli_fold(doc))
  FROM (SELECT coalesce(title, '') || ' ' || coalesce(sender, '') || ' ' ||
               coalesce((SELECT string_agg(coalesce(s ->> 'name', ''), ' ')
                           FROM jsonb_array_elements(submitters) AS s), '') || ' ' ||
               coalesce(history_text, '') AS doc) AS d
$$;

CREATE FUNCTION cases_search_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search := kansli_search_vector(NEW.title, NEW.sender, NEW.submitters, NEW.history_text);
  RETURN NEW;
END;
$$;

CREATE TRIGGER cases_search_insert BEFORE INSERT ON cases
  FOR EACH ROW EXECUTE FUNCTION cases_search_update();
CREATE TRIGGER cases_search_change BEFORE UPDATE ON cases
  FOR EACH ROW
  WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.sender IS DISTINCT FROM NEW.sender OR
        OLD.submitters IS DISTINCT FROM NEW.submitters OR
        OLD.history_text IS DISTINCT FROM NEW.history_text)
  EXECUTE FUNCTION cases_search_update();

-- A history text becomes searchable in the transaction that records it.
CREATE FUNCTION case_history_search_append() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(NEW.text, '') <> '' THEN
    UPDATE cases SET history_text = history_text || ' ' || NEW.text WHERE id = NEW.case_id;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER case_history_search AFTER INSERT ON case_history
  FOR EACH ROW EXECUTE FUNCTION case_history_search_append();

UPDATE cases c SET history_text = x.history_text,
       search = kansli_search_vector(c.title, c.sender, c.submitters, x.history_text)
  FROM (SELECT c2.id, coalesce((SELECT string_agg(h.text, ' ' ORDER BY h.seq) FROM case_history h
                                 WHERE h.case_id = c2.id AND coalesce(h.text, '') <> ''), '')
                      AS history_text
          FROM cases c2) AS x
 WHERE x.id = c.id;

CREATE INDEX cases_search ON cases USING gin (search);
