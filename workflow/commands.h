// The two commands that change cases, decoded from their JSON bodies.
// Decoding checks shape and formats (types, dates, codes); rules that need the
// database or the case's state (known organs, allowed events) are checked by
// CaseService.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "workflow/civil_date.h"
#include "workflow/model.h"

namespace kansli::workflow {

struct Document {
  std::string title;
  std::optional<Date> date;
  std::string type = "other";  // one of kDocumentTypes
};
inline const std::vector<std::string> kDocumentTypes = {
    "motion",           "motionsunderlag", "motionssvar", "tjansteskrivelse", "missiv", "yttrande",
    "protokollsutdrag", "remiss",          "other"};

struct Vote {
  int yes = 0, no = 0, abstain = 0;
};

struct ClauseOutcome {
  int clause = 0;
  std::string outcome;
};

// POST /cases/{id}/events.
struct EventCommand {
  std::string event;
  std::optional<Date> date;  // default: today
  std::string organ;         // who acted
  // The meeting (sammanträde) of `organ` at which it was handled; default: the
  // organ's meeting on `date`, if it has one. At a meeting a missing
  // `paragraph` gets the next number of the organ's series for the year.
  std::optional<std::int64_t> meeting;
  std::optional<std::string> paragraph;
  std::optional<std::string> text;
  std::optional<std::string> to;
  std::vector<std::string> consult;
  std::optional<std::string> assignee;
  std::optional<Date> due;
  std::optional<std::string> from;
  std::optional<std::string> outcome;
  std::optional<std::string> reason;
  std::optional<std::string> officer;
  std::optional<Date> answer_by;
  std::optional<std::string> delegation;
  std::optional<Document> document;
  std::optional<Vote> vote;
  std::vector<std::string> reservations;
  std::vector<ClauseOutcome> clauses;
};

// POST /cases.
struct RegisterCommand {
  std::string type;  // "motion" | "remiss"
  std::string title;
  Date received;
  std::optional<std::string> reference;  // as given; normalised by the service
  std::vector<Submitter> submitters;
  std::optional<std::string> sender;
  std::optional<Date> answer_by;
  std::optional<std::string> officer;
  std::optional<std::string> notes;
  bool confidential = false;
  // A remiss registered and distributed in one request.
  std::optional<std::string> to;
};

// POST /organs: {"code", "name", "kind", "parent", "presidium"}.
Organ DecodeOrgan(const nlohmann::json& body);

// Decodes a request body. Throws ValidationError naming the first offending
// field (unknown fields are rejected too, so typos do not pass silently).
EventCommand DecodeEvent(const nlohmann::json& body);
RegisterCommand DecodeRegistration(const nlohmann::json& body);

// The accepted event as kept in the history's details (only fields that were given).
nlohmann::json EncodeEvent(const EventCommand& e);
nlohmann::json EncodeRegistration(const RegisterCommand& r);

}  // namespace kansli::workflow
