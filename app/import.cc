#include "app/import.h"

#include <algorithm>
#include <cctype>
#include <exception>
#include <map>

#include "workflow/errors.h"
#include "workflow/registry.h"

namespace kansli::app {
namespace {

const workflow::Actor kImporter{"import", "admin"};

std::string Line(int line) { return "line " + std::to_string(line) + ": "; }

// "Remiss - X" / "Motion - X" -> "X".
std::string StripTitlePrefix(const std::string& title) {
  for (const char* prefix : {"Remiss - ", "Motion - "}) {
    const std::string p(prefix);
    if (title.size() >= p.size() &&
        std::equal(p.begin(), p.end(), title.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        }))
      return title.substr(p.size());
  }
  return title;
}

}  // namespace

std::string ImportReport::Text() const {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  out += "created " + std::to_string(created) + ", already registered " +
         std::to_string(already_registered) + ", skipped " + std::to_string(skipped) + ", errors " +
         std::to_string(errors) + "\n";
  return out;
}

ImportReport ImportRegistry(workflow::CaseService& cases, const std::string& text) {
  const auto parsed = workflow::ParseRegistry(text);
  ImportReport report;
  // Parse errors and rows in file order.
  std::multimap<int, std::string> out;
  for (const auto& [line, why] : parsed.errors) {
    out.emplace(line, Line(line) + "error: " + why);
    ++report.errors;
  }
  for (const auto& row : parsed.rows) {
    const std::string at = Line(row.line) + row.case_reference + ": ";
    std::string type;
    if (row.document_type == "MOTION") type = "motion";
    if (row.document_type == "REMISS") type = "remiss";
    if (type.empty()) {
      out.emplace(row.line, at + "skipped: document type " + row.document_type +
                                " is neither a motion nor a remiss");
      ++report.skipped;
      continue;
    }
    try {
      const auto reference = cases.NormaliseReference(row.case_reference);
      if (!reference) throw workflow::ValidationError("reference", "not a diarienummer");
      workflow::CaseFilter f;
      f.reference = reference;
      f.limit = 1;
      if (!cases.ListCases(f).items.empty()) {
        out.emplace(row.line, at + "already registered");
        ++report.already_registered;
        continue;
      }
      workflow::RegisterCommand cmd;
      cmd.type = type;
      cmd.title = StripTitlePrefix(row.case_title);
      if (cmd.title.empty()) throw workflow::ValidationError("title", "case title missing");
      const auto received = workflow::ParseDate(row.date);
      if (!received) throw workflow::ValidationError("received", "bad date");
      cmd.received = *received;
      cmd.reference = *reference;
      if (type == "motion") {
        cmd.submitters.push_back({row.counterparty, ""});
      } else {
        cmd.sender = row.counterparty;
        if (!row.responsible.empty()) cmd.officer = row.responsible;
        cmd.answer_by =
            date::year_month_day{date::sys_days(*received) + date::days(kRegistryAnswerDays)};
        cmd.notes = kRegistryAnswerNote;
      }
      const auto r = cases.Register(cmd, kImporter, {});
      out.emplace(row.line,
                  at + "created (" + type + ", case " + std::to_string(r.changed.id) + ")");
      ++report.created;
    } catch (const workflow::Unavailable&) {
      throw;  // the database is gone: no point going on
    } catch (const std::exception& e) {
      out.emplace(row.line, at + "error: " + e.what());
      ++report.errors;
    }
  }
  for (auto& [line, msg] : out) report.lines.push_back(std::move(msg));
  return report;
}

}  // namespace kansli::app
