// The embedded demo data (Region Jönköpings län) and the case replay format
// of the fixtures: {"create": {...}, "events": [{...}, ...]}.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "workflow/case_service.h"
#include "workflow/ports.h"

namespace kansli::app {

struct ReplayResult {
  std::int64_t case_id = 0;
  std::string reference;
  std::string state;
  int events = 0;
  bool skipped = false;  // the reference was already registered
};

// Registers the case of a replay document and applies its events in order,
// each through CaseService. `source_lines` and other keys meant for people are
// dropped. With skip_existing, a reference that exists already is left alone.
// Throws workflow errors naming the event index on failure (earlier events stay).
ReplayResult Replay(workflow::CaseService& cases, const nlohmann::json& doc, bool skip_existing);

// Upserts the organisation of an organs document ({"organs": [...]}).
int LoadOrgans(workflow::Transactions& tx, const nlohmann::json& doc);

// Loads the embedded demo organisation and cases; idempotent.
std::string LoadDemo(workflow::CaseService& cases, workflow::Transactions& tx);

}  // namespace kansli::app
