// The KL 5 kap. 35 § report (workflow/reports.h) as JSON, CSV (RFC 4180) or a
// printable Swedish HTML page. GET /api/v1/reports/unanswered-motions and
// `kansli report unanswered-motions` both call RenderUnansweredMotions, so the
// two give the same document. Pure: no clock, no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "workflow/reports.h"

namespace kansli::api {

enum class ReportFormat { kJson, kCsv, kHtml };

// "json", "csv" or "html"; nullopt for anything else.
std::optional<ReportFormat> ParseReportFormat(std::string_view text);

struct RenderedDocument {
  std::string content_type;  // with "; charset=utf-8"
  // Set for a download (CSV): the name for Content-Disposition: attachment.
  std::string filename;
  std::string body;
};

// `redact_confidential` (readers): a confidential motion's title and the text
// of its last handling read "Sekretessmarkerat", as everywhere in the API.
RenderedDocument RenderUnansweredMotions(const workflow::UnansweredMotionsReport& report,
                                         ReportFormat format, bool redact_confidential);

// {"as_of", "generated_at", "total", "overdue", "groups": [{"organ", "organ_name",
// "total", "motions": [...]}]}; the motion fields are listed in docs/api.md.
nlohmann::ordered_json UnansweredMotionsJson(const workflow::UnansweredMotionsReport& report,
                                             bool redact_confidential);

// One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or LF
// (quotes doubled). A value that a spreadsheet would run as a formula (it
// starts with =, +, -, @, tab or CR) gets a leading apostrophe first.
std::string CsvField(std::string_view value);

// & < > " ' as character references.
std::string HtmlEscape(std::string_view text);

}  // namespace kansli::api
