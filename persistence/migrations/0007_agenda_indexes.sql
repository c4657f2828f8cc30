-- Indexes for the agendas at national scale (bench/deadlines_scale): a
-- nämnd's cases by state, and each case's open deadlines by date.
CREATE INDEX cases_responsible_type_state ON cases (responsible_organ, type, state);
CREATE INDEX case_deadlines_open_case ON case_deadlines (case_id, due, seq)
  WHERE met_on IS NULL AND NOT cancelled;
-- type and state are correlated (a remiss is never 'ready_for_council').
CREATE STATISTICS cases_type_state (dependencies) ON type, state FROM cases;
