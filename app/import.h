// `kansli import-registry FILE`: registers the motions and remisser of the
// diarium's monthly registry export (either format, see workflow/registry.h).
//
// For each row of document type MOTION or REMISS a case is registered through
// CaseService as {"import", "admin"}: reference = case_reference (normalised),
// title = case_title without a leading "Remiss - " / "Motion - ", received =
// date. A motion gets one submitter {name: counterparty, party: ""}; a remiss
// gets sender = counterparty and officer = responsible. The registry carries
// no answer-by date, so a remiss's answer_by is set to received + 30 days
// (kRegistryAnswerDays) and its notes say so, for the registrar to check.
// A reference that already exists is reported and left unchanged, so the
// import can be run again (or with the other format of the same month).
// Other document types are skipped with the reason; bad rows are reported by
// line number and the others are still imported.
#pragma once

#include <string>
#include <vector>

#include "workflow/case_service.h"

namespace kansli::app {

inline constexpr int kRegistryAnswerDays = 30;
inline constexpr const char* kRegistryAnswerNote =
    "Svarsdatum saknas i diariet; satt till inkom + 30 dagar \xE2\x80\x93 kontrollera";

struct ImportReport {
  int created = 0;
  int already_registered = 0;
  int skipped = 0;
  int errors = 0;
  std::vector<std::string> lines;  // one per row: "line 12: RJL 2022/1998: created (remiss)"

  // The per-row lines and the summary, for printing.
  std::string Text() const;
};

ImportReport ImportRegistry(workflow::CaseService& cases, const std::string& text);

}  // namespace kansli::app
