// The diarium's registry export parser (workflow/registry.h) on arbitrary text, in both of its
// formats (the seeds are the real exports of tests/fixtures/registry/).
// Checks, for every input:
//   - every accepted row passed the documented checks: a date YYYY-MM-DD, a diarienummer, a
//     case title and a document type (upper-cased); its fields are trimmed and hold no tab or
//     line break; rows come in the order of the file, and every line number is in the file;
//   - the same text with CRLF line ends, or with a UTF-8 byte order mark in front, gives the same
//     rows and errors;
//   - the accepted rows written out again, as normalised TSV and as the raw printout, read back
//     as the same rows with no errors (rows whose text holds markup characters aside, since
//     markup is removed when read).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "workflow/civil_date.h"
#include "workflow/reference.h"
#include "workflow/registry.h"

namespace {

using kansli::workflow::ParseRegistry;
using kansli::workflow::RegistryParse;
using kansli::workflow::RegistryRow;

constexpr const char* kBom = "\xEF\xBB\xBF";

[[noreturn]] void Fail(const std::string& what, const std::string& text) {
  std::cerr << "fuzz_registry: " << what << "\n  input (" << text.size() << " bytes):\n"
            << text << "\n";
  std::abort();
}

std::vector<std::string> Fields(const RegistryRow& r) {
  return {r.doc_id,       r.direction,  r.description,    r.responsible, r.date,
          r.counterparty, r.department, r.case_reference, r.case_title,  r.document_type};
}

std::string Show(const RegistryRow& r) {
  std::string s = "line " + std::to_string(r.line) + ":";
  for (const auto& f : Fields(r)) s += " [" + f + "]";
  return s;
}

bool SameRows(const std::vector<RegistryRow>& a, const std::vector<RegistryRow>& b,
              bool compare_lines) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Fields(a[i]) != Fields(b[i])) return false;
    if (compare_lines && a[i].line != b[i].line) return false;
  }
  return true;
}

bool SameParse(const RegistryParse& a, const RegistryParse& b) {
  return SameRows(a.rows, b.rows, true) && a.errors == b.errors;
}

std::string Summary(const RegistryParse& p) {
  std::string s =
      std::to_string(p.rows.size()) + " rows, " + std::to_string(p.errors.size()) + " errors";
  for (const auto& r : p.rows) s += "\n    " + Show(r);
  for (const auto& [line, message] : p.errors)
    s += "\n    error line " + std::to_string(line) + ": " + message;
  return s;
}

// The number of lines the parser sees (a final line break ends the last line).
int LineCount(const std::string& text) {
  if (text.empty()) return 0;
  int n = 1;
  for (char c : text) n += c == '\n';
  if (text.back() == '\n') --n;
  return n;
}

bool Trimmed(const std::string& s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  return s.empty() || (!blank(s.front()) && !blank(s.back()));
}

// Markup the parser removes when it reads: tags and doubled * or _.
bool HasMarkup(const RegistryRow& r) {
  for (const auto& f : Fields(r))
    if (f.find('<') != std::string::npos || f.find("**") != std::string::npos ||
        f.find("__") != std::string::npos || f.find(kBom) != std::string::npos)
      return true;
  return false;
}

std::string Tsv(const std::vector<RegistryRow>& rows) {
  std::string out =
      "doc_id\tdirection\tdescription\tresponsible\tdate\tcounterparty\tdepartment\t"
      "case_reference\tcase_title\tdocument_type\n";
  for (const auto& r : rows) {
    const auto f = Fields(r);
    for (std::size_t i = 0; i < f.size(); ++i) out += (i ? "\t" : "") + f[i];
    out += "\n";
  }
  return out;
}

// Whether a row's first printout line would read as a record line (not a heading, a blank
// line or the column headings).
bool PrintableAsRaw(const RegistryRow& r) {
  for (const auto& f : {r.doc_id, r.direction, r.description, r.responsible}) {
    if (f.empty()) continue;
    if (f[0] == '#') return false;
    return r.doc_id != "Id" && r.doc_id != "Datum" && r.doc_id != "\xC3\x84rendenummer";
  }
  return false;  // four empty fields: a blank line
}

std::string Raw(const std::vector<RegistryRow>& rows) {
  std::string out = "# Dokument\n\nId\tI/U/K\tBeskrivning\tAnsvarig\n";
  for (const auto& r : rows) {
    out += r.doc_id + "\t" + r.direction + "\t" + r.description + "\t" + r.responsible + "\n";
    out += r.date + "\t\t" + r.counterparty + "\t" + r.department + "\n";
    out += r.case_reference + "\t\t" + r.case_title + "\t" + r.document_type + "\n";
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const RegistryParse p = ParseRegistry(text);
  const int lines = LineCount(text);

  int previous = 0;
  for (const auto& r : p.rows) {
    if (r.line <= previous) Fail("rows out of order: " + Summary(p), text);
    previous = r.line;
    if (r.line < 1 || r.line > lines) Fail("a row's line is not in the file: " + Show(r), text);
    if (!kansli::workflow::ParseDate(r.date)) Fail("accepted a bad date: " + Show(r), text);
    if (!kansli::workflow::ParseReference(r.case_reference, "RJL"))
      Fail("accepted a bad case reference: " + Show(r), text);
    if (r.case_title.empty() || r.document_type.empty())
      Fail("accepted a row without case title or document type: " + Show(r), text);
    for (char c : r.document_type)
      if (c >= 'a' && c <= 'z') Fail("document type not upper-cased: " + Show(r), text);
    for (const auto& f : Fields(r))
      if (!Trimmed(f) || f.find_first_of("\t\n") != std::string::npos)
        Fail("a field is not trimmed or holds a tab or line break: " + Show(r), text);
  }
  previous = 0;
  for (const auto& [line, message] : p.errors) {
    if (line < previous || line < 1 || line > lines)
      Fail("an error's line is out of order or not in the file: " + Summary(p), text);
    if (message.empty()) Fail("an error without a message", text);
    previous = line;
  }

  if (text.find('\r') == std::string::npos) {
    std::string crlf;
    for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    const RegistryParse q = ParseRegistry(crlf);
    if (!SameParse(p, q))
      Fail("with CRLF line ends: " + Summary(q) + "\n  with LF: " + Summary(p), text);
  }
  if (text.find(kBom) == std::string::npos) {
    const RegistryParse q = ParseRegistry(kBom + text);
    if (!SameParse(p, q))
      Fail("with a byte order mark: " + Summary(q) + "\n  without: " + Summary(p), text);
  }

  std::vector<RegistryRow> clean, raw_clean;
  for (const auto& r : p.rows) {
    if (HasMarkup(r)) continue;
    clean.push_back(r);
    if (PrintableAsRaw(r)) raw_clean.push_back(r);
  }
  const std::string tsv = Tsv(clean);
  const RegistryParse t = ParseRegistry(tsv);
  if (!t.errors.empty() || !SameRows(clean, t.rows, false))
    Fail("the rows written as TSV read back as " + Summary(t) + "\n  TSV:\n" + tsv, text);
  const std::string raw = Raw(raw_clean);
  const RegistryParse w = ParseRegistry(raw);
  if (!w.errors.empty() || !SameRows(raw_clean, w.rows, false))
    Fail("the rows written as a printout read back as " + Summary(w) + "\n  printout:\n" + raw,
         text);
  return 0;
}
