// The case model: plain values, no behaviour beyond what the data itself says.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "workflow/civil_date.h"

namespace kansli::workflow {

// An organ of the organisation (fullmäktige, styrelse, nämnd, presidium, ...).
struct Organ {
  std::string code;  // stable lower-case ASCII, e.g. "fs"
  std::string name;
  std::string kind;  // one of kOrganKinds
  std::optional<std::string> parent;
  std::optional<std::string> presidium;  // code of this organ's presidium
};

inline const std::vector<std::string> kOrganKinds = {
    "fullmäktige", "styrelse", "nämnd", "utskott", "presidium", "delegation", "förvaltning"};

struct Submitter {
  std::string name;
  std::string party;  // "-" or empty when the member has no party
};

inline const std::vector<std::string> kOutcomes = {"approved", "rejected", "answered",
                                                   "partly_approved"};

// A deadline of a case, recomputed from the case and its history on every change.
struct Deadline {
  std::string kind;   // decision_due, answer_due, material_due, views_due, answer_by, ...
  std::string label;  // Swedish display text
  Date due;
  std::optional<Date> met_on;        // the date of the event that satisfied it
  bool cancelled = false;            // the case closed without meeting it (withdrawn, written off)
  std::string basis;                 // how `due` was computed, for people
  std::optional<std::string> organ;  // who must act, when known
  // Back-scheduled deadlines (report_due, decision_meeting, proposal_due): the
  // latest day a meeting may be on; `due` is the organ's last meeting on or
  // before it when from_meeting_plan, else `latest` itself (plan unknown).
  std::optional<Date> latest;
  bool from_meeting_plan = false;
};

struct Case {
  std::int64_t id = 0;
  std::string reference;  // "RJL 2021/1342"
  std::string type;       // "motion" | "remiss"
  std::string title;
  Date received;
  std::string state;
  std::int64_t version = 0;
  std::optional<std::string> responsible_organ;
  std::vector<std::string> consulted_organs;
  std::optional<std::string> proposed_outcome;
  std::optional<std::string> outcome;
  std::vector<Submitter> submitters;
  std::optional<std::string> sender;
  std::optional<Date> answer_by;
  std::optional<std::string> officer;
  std::optional<std::string> notes;
  bool confidential = false;
  bool reported_unanswered = false;
  std::optional<Date> distributed_on;
  std::chrono::system_clock::time_point created_at{};
  std::chrono::system_clock::time_point updated_at{};
  std::vector<Deadline> deadlines;  // filled on reads
};

// One row of a case's append-only history.
struct HistoryEntry {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  int seq = 0;        // 1 for the registration, then one per event, in posting order
  std::string event;  // "register" for the registration entry
  std::optional<std::string> from_state;
  std::string to_state;
  Date date;  // the day the handling happened
  std::optional<std::string> organ;
  std::optional<std::string> paragraph;
  std::optional<std::string> text;
  nlohmann::json details = nlohmann::json::object();  // the event as accepted
  std::string actor;                                  // the token or account that recorded it
  std::string transition_id;  // unique per command, to resolve in-doubt commits
  std::chrono::system_clock::time_point recorded_at{};
};

}  // namespace kansli::workflow
